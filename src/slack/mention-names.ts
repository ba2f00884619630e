import type { WebClient } from '@slack/web-api';
import { shownName } from '../delivery/person-names';

/** At most this many people looked up per message: a message naming more keeps the rest as their ids. */
const MAX_LOOKUPS = 20;

/**
 * The names of the people a message mentions by id only (Slack sends `<@U…>` in a message's text, with no name), so
 * the copy on the card reads as it was written ("@Ana", not "@U0ANA"). Looked up together with users.info; someone
 * Slack does not answer for keeps their id, and `problem` hears why once.
 */
export async function mentionedNames(client: WebClient, text: string, problem: (error: string) => void): Promise<Map<string, string>> {
  const ids = [...new Set(Array.from(text.matchAll(/<@([UW][A-Z0-9]+)>/g), (m) => m[1] ?? ''))].filter((id) => id !== '').slice(0, MAX_LOOKUPS);
  const names = new Map<string, string>();
  let told = false;
  await Promise.all(
    ids.map(async (id) => {
      try {
        const name = shownName((await client.users.info({ user: id })).user);
        if (name) names.set(id, name);
      } catch (error) {
        if (!told) problem(String(error));
        told = true;
      }
    }),
  );
  return names;
}
