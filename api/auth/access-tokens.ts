import { jwtVerify, SignJWT } from 'jose';
import type { AppContext } from '../context.ts';
import { appKeys } from './app-keys.ts';

export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
/** A token claiming to live longer than we ever issue was not made by us as we make them: refused. */
const MAX_LIFETIME_SECONDS = ACCESS_TOKEN_TTL_SECONDS;
const ISSUER = 'pulseboard';
const AUDIENCE = 'pulseboard-api';

export async function issueAccessToken(ctx: AppContext, userId: number): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(String(userId))
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${ACCESS_TOKEN_TTL_SECONDS}s`)
    .sign((await appKeys(ctx)).accessToken);
}

/**
 * The user id in a valid, unexpired token; null for anything else (bad signature, expired, not ours,
 * or missing exp, iat, aud or iss, or living longer than we issue: a token that never expires must not
 * work even when it is signed with our key).
 */
export async function verifyAccessToken(ctx: AppContext, token: string): Promise<number | null> {
  try {
    const { payload } = await jwtVerify(token, (await appKeys(ctx)).accessToken, {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['HS256'],
      requiredClaims: ['exp', 'iat', 'aud', 'iss', 'sub'],
      maxTokenAge: `${MAX_LIFETIME_SECONDS}s`,
    });
    if (payload.exp! - payload.iat! > MAX_LIFETIME_SECONDS) return null;
    const id = Number(payload.sub);
    return Number.isSafeInteger(id) && id > 0 ? id : null;
  } catch {
    return null;
  }
}
