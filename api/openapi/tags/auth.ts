import { browserSignUpSchema, confirmSignUpSchema, refreshTokenSchema, signInSchema, signUpSchema } from '../../../domain/identity/credentials.ts';
import { arrayOf, integerId, nullable, object, ref } from '../json-schema.ts';
import { accepted, created, noContent, ok, V1, type OperationSpec, type TagSpec } from '../operation.ts';

const withUser = object({ user: ref('User') });
/** Every sign-up answers this, whether the email is new or has an account: nobody learns which. */
const checkEmail = accepted('A mail went to the address: a confirmation link for a new one, a sign-in note for an existing account', object({ status: { type: 'string', enum: ['check-email'] }, message: { type: 'string' } }));
const tokenPair = object({ accessToken: { type: 'string' }, refreshToken: { type: 'string' }, expiresIn: { type: 'integer', description: 'seconds' }, user: ref('User') });

/** Sign-up on the token routes: the same body, a different role. */
const tokenSignUp = (role: 'client' | 'provider', roleName: string): OperationSpec => ({
  method: 'post',
  path: `${V1}/auth/token/sign_up_${role}`,
  summary: `Sign up as a ${roleName}: mails a confirmation link; then sign in with /auth/token/sign_in`,
  auth: 'public',
  body: signUpSchema,
  success: checkEmail,
  problems: [429, 503],
});

export const authTag: TagSpec = {
  name: 'auth',
  description: 'Browser sessions (cookie + CSRF) and token sign-in for API clients that are people.',
  operations: [
    { method: 'post', path: `${V1}/auth/sign_up`, summary: 'Sign up (a customer, or a provider with `offersServices`): mails a link that makes the account', auth: 'public', body: browserSignUpSchema, success: checkEmail, problems: [429, 503] },
    {
      method: 'post',
      path: `${V1}/auth/confirm_sign_up`,
      summary: "Make the account from the confirmation mail's token and start a session",
      auth: 'public',
      body: confirmSignUpSchema,
      success: created('Signed up; session cookies set', withUser),
      problems: [409, 410, 429],
    },
    { method: 'post', path: `${V1}/auth/sign_in`, summary: 'Sign in with email and password; sets the session cookies', auth: 'public', body: signInSchema, success: ok('Signed in', withUser), problems: [401, 403, 429] },
    { method: 'post', path: `${V1}/auth/sign_out`, summary: 'End the session and clear its cookies', auth: 'public', success: noContent('Signed out') },
    {
      method: 'get',
      path: `${V1}/auth/me`,
      summary: 'Who am I: the person, their organizations and the CSRF token',
      auth: 'user',
      success: ok('The signed-in person', object({ user: ref('User'), organizations: arrayOf(object({ id: integerId, name: { type: 'string' }, role: { type: 'string' } })), csrfToken: nullable({ type: 'string' }) })),
    },
    {
      method: 'get',
      path: `${V1}/me`,
      summary: 'Who is calling: a person and their organizations, or an API key with its organization, what it may do and its plans\' limits',
      auth: 'member',
      success: ok(
        'The caller',
        {
          oneOf: [
            object({ kind: { const: 'user' }, user: ref('User'), organizations: arrayOf(object({ id: integerId, name: { type: 'string' }, role: { type: 'string' } })) }),
            object({
              kind: { const: 'api_key' },
              apiKey: object({ id: { type: 'string' }, name: { type: 'string' } }),
              organization: object({ id: integerId, name: { type: 'string' } }),
              role: { const: 'member' },
              plans: object({ jobs: { type: 'object' }, stores: { type: 'object' } }),
            }),
          ],
        },
      ),
    },
    { method: 'post', path: `${V1}/auth/token/sign_in`, summary: 'Sign in; answers a 15-minute JWT and a rotating refresh token', auth: 'public', body: signInSchema, success: ok('A token pair', tokenPair), problems: [401, 403, 429] },
    tokenSignUp('client', 'customer'),
    tokenSignUp('provider', 'provider'),
    { method: 'post', path: `${V1}/auth/token/refresh`, summary: 'Swap a refresh token for a new pair (reuse revokes the family)', auth: 'public', body: refreshTokenSchema, success: ok('A new token pair', tokenPair), problems: [401] },
    { method: 'post', path: `${V1}/auth/token/revoke`, summary: 'Revoke a refresh token', auth: 'public', body: refreshTokenSchema, success: noContent('Revoked') },
  ],
};
