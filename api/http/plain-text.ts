import type { RequestHandler } from 'express';
import { findControlCharacter } from '../../domain/text/control-characters.ts';
import { invalidInput } from './problem.ts';

/**
 * Applies the text rule (domain/text/control-characters.ts) to everything a request brings: the
 * JSON body, the query string and the path's segments, before any route reads them. One check
 * here instead of one per schema, so no route can forget it; the 422 names the field.
 */
export const rejectControlCharacters: RequestHandler = (req, _res, next) => {
  const found =
    findControlCharacter(decodedPath(req.path), ['path']) ?? findControlCharacter(req.query, ['query']) ?? findControlCharacter(req.body, []);
  if (found) throw invalidInput([{ path: found.path, message: `must not contain control characters or half a surrogate pair (found ${found.codePoint})` }]);
  next();
};

function decodedPath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path; // malformed escapes are the router's to refuse
  }
}
