/** More words than this narrow nothing further; they only slow the query down. */
export const MAX_SEARCH_WORDS = 8;

/**
 * The words of a search as the database matches them: lower case, letters and digits only (so no
 * word can be read as query syntax), each once, at most MAX_SEARCH_WORDS.
 */
export function searchWordsOf(q: string): string[] {
  return [...new Set(q.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [])].slice(0, MAX_SEARCH_WORDS);
}
