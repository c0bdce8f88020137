import { jwtVerify, SignJWT } from 'jose';
import type { AppContext } from '../context.ts';
import { appKeys } from './app-keys.ts';

export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
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

/** The user id in a valid, unexpired token; null for anything else (bad signature, expired, not ours). */
export async function verifyAccessToken(ctx: AppContext, token: string): Promise<number | null> {
  try {
    const { payload } = await jwtVerify(token, (await appKeys(ctx)).accessToken, { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'] });
    const id = Number(payload.sub);
    return Number.isSafeInteger(id) && id > 0 ? id : null;
  } catch {
    return null;
  }
}
