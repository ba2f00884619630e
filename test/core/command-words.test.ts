import { readCommandWords } from '../../src/core/command-words';

describe('readCommandWords', () => {
  test.each([
    ['list?', 'list'],
    ['Stats.', 'stats'],
    ['list…', 'list'],
    ['stats...', 'stats'],
    ['list,', 'list'],
    ['stats;', 'stats'],
    ['`help`', 'help'],
    ['"list"', 'list'],
    ['?', 'help'],
    ['-h', 'help'],
    ['--help', 'help'],
    // "--help" after a phone's smart punctuation: an em dash (iOS) or an en dash
    ['—help', 'help'],
    ['–help', 'help'],
  ])('"%s" is the subcommand %s, as typed on a phone', (typed, name) => {
    expect(readCommandWords(typed)).toEqual({ kind: 'subcommand', name });
  });

  test.each([
    ['lsit', 'list'],
    ['lis', 'list'],
    ['stat', 'stats'],
    ['sttas', 'stats'],
    ['hlep', 'help'],
    ['hep', 'help'],
  ])('"%s" (two letters swapped, or one left out) is asked about as /moment %s', (typed, name) => {
    expect(readCommandWords(typed)).toEqual({ kind: 'near', name });
  });

  // One-word titles a team may well flag, each a letter changed or added from a subcommand.
  test.each(['Last', 'Lisa', 'Lost', 'Mist', 'Stars', 'States', 'Helps', 'Held', 'Yelp', 'Kelp', 'Blackout', 'li'])('"%s" is a flag', (typed) => {
    expect(readCommandWords(typed)).toEqual({ kind: 'flag' });
  });

  test.each([
    ['list mine', 'list'],
    ['stats 7d', 'stats'],
    ['Help me', 'help'],
  ])('"%s" is the subcommand %s with words it does not take', (typed, name) => {
    expect(readCommandWords(typed)).toEqual({ kind: 'with_words', name });
  });

  test.each([
    ['withdraw', 'withdraw'],
    ['Cancel #3', 'withdraw'],
    ['undo 3', 'withdraw'],
    ['/delete', 'withdraw'],
    ['status', 'status'],
    ['Mine?', 'status'],
    ['test', 'test'],
    ['hello!', 'test'],
    ['test 1', 'test'],
    ['ping #2', 'test'],
  ])('"%s", a command Greenlight does not have, is answered as %s, never flagged', (typed, word) => {
    expect(readCommandWords(typed)).toEqual({ kind: 'not_a_command', word });
  });

  test.each(['Cancel culture is trending', 'Test drive the new model', 'undo: the ad we ran', 'status quo #3 deal', 'Hello 2026', 'hi 5'])('"%s", those words in a title, is a flag', (typed) => {
    expect(readCommandWords(typed)).toEqual({ kind: 'flag' });
  });

  test.each(['Stats: best quarter yet', 'List of winners is out tonight', 'list: the winners', ''])('"%s" is a flag (or the form)', (typed) => {
    expect(readCommandWords(typed)).toEqual({ kind: 'flag' });
  });
});
