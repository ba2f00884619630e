const NO_NAMES: ReadonlyMap<string, string> = new Map();

/**
 * Text as Slack sends it (entities for & < >, links as <url|label>, mentions as <@U…>) turned
 * back into what the person typed, so it is stored plain and escaped once, on the way out. `names`: people a
 * mention names by id only (see mentionedNames); one not known reads as their id.
 */
export function plainFromSlack(text: string, names: ReadonlyMap<string, string> = NO_NAMES): string {
  // An entity's parts never hold "<" (Slack sends a typed one as &lt;): each search stops at the next entity, so a
  // message of unclosed ones is read in one pass, not one pass per "<".
  return text
    .replace(/<((?:https?:\/\/|mailto:)[^|<>]+)(?:\|([^<>]*))?>/g, (_m, url: string, label?: string) => linkAsTyped(url, label))
    .replace(/<@([UW][A-Z0-9]+)(?:\|([^<>]*))?>/g, (_m, id: string, name?: string) => `@${name ?? names.get(id) ?? id}`)
    .replace(/<#([CG][A-Z0-9]+)(?:\|([^<>]*))?>/g, (_m, id: string, name?: string) => `#${name || id}`)
    // @channel, @here, @everyone and user groups as the person typed them (the copy is shown, never sent, escaped).
    .replace(/<!(channel|here|everyone)(?:\|[^<>]*)?>/g, '@$1')
    .replace(/<!subteam\^([A-Z0-9]+)(?:\|([^<>]*))?>/g, (_m, id: string, name?: string) => (name ? (name.startsWith('@') ? name : `@${name}`) : `@${id}`))
    .replace(/&lt;|&gt;|&amp;/g, unescapeEntity);
}

/** The character Slack's text form escapes as `entity` (it escapes only these three). */
function unescapeEntity(entity: string): string {
  return entity === '&lt;' ? '<' : entity === '&gt;' ? '>' : '&';
}

/**
 * The first http(s) link Slack marked in a message's text (`<https://…|label>`), as the address it links: its end is
 * where Slack's mark ends, which the plain words no longer show (`*<https://example.com/ad>*` reads as
 * "https://example.com/ad*"; Japanese words run on after a link with no space).
 */
export function firstMarkedLink(text: string): string | undefined {
  const url = /<(https?:\/\/[^|<>]+)(?:\|[^<>]*)?>/.exec(text)?.[1];
  return url?.replace(/&lt;|&gt;|&amp;/g, unescapeEntity);
}

/**
 * A link as the person wrote it: an address shown as itself (Slack's label for a pasted one is the address, maybe
 * without its scheme or trailing slash, or shortened with "…") reads as the address; words linked to an address (a
 * hyperlink in the composer, even "shop" for shop.example.com) keep their words, which reviewers approve as part of the
 * copy, with the address after them.
 */
function linkAsTyped(url: string, label: string | undefined): string {
  const address = url.replace(/^mailto:/, '');
  const words = label?.trim() ?? '';
  const bare = (text: string) => text.replace(/^https?:\/\//, '').replace(/\/$/, '');
  const shortened = /(…|\.\.\.)$/.test(words) && bare(address).startsWith(bare(words.replace(/(…|\.\.\.)$/, '')));
  if (words === '' || bare(words) === bare(address) || shortened) return address;
  return `${words} (${address})`;
}

/**
 * A bot-written mrkdwn line (a refusal) as a modal's field error, which Slack shows as plain text: a mention would
 * read as its raw code there, so each reads as the person's name from `names`; without one, "by <@U…>" goes (the card
 * says who) and any other mention reads "someone".
 */
export function plainForModal(text: string, names: ReadonlyMap<string, string> = new Map()): string {
  return (
    text
      .replace(/<(?!@)[^|>]+\|([^>]*)>/g, '$1')
      .replace(/\*([^*\n]+)\*/g, '$1')
      // Last, so a name is shown as Slack gives it (an asterisk in it is no bold).
      .replace(/ by <@([UW][A-Z0-9]+)>/g, (_, id: string) => (names.has(id) ? ` by ${names.get(id)}` : ''))
      .replace(/<@([UW][A-Z0-9]+)>/g, (_, id: string) => names.get(id) ?? 'someone')
  );
}
