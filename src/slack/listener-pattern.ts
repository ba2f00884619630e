/** A pattern matching exactly one of `ids` (Greenlight's own action and callback ids, plain `[a-z_]`). */
export function oneOf(ids: readonly string[]): RegExp {
  return new RegExp(`^(?:${ids.map((id) => id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})$`);
}
