// An independent OpenID Connect provider (oidc-provider, pinned in package.json) for the
// OAuth integration tests. Listens on 127.0.0.1 only, on PORT (0 = any free port), and prints
// "OIDC_READY <issuer>" once it accepts connections.
//
// - Its login and consent interactions approve on their own (operator1), so a QNAM that keeps
//   cookies and follows redirects can play the browser; login_hint=deny declines instead.
// - Clients: "console" (public native client, PKCE required, access tokens live 10 minutes) and
//   "console-short" (the same, access tokens live OIDC_SHORT_TTL seconds, default 4) for the
//   proactive refresh test. oidc-provider ignores the loopback port of native redirect URIs.
// - A tiny resource server for the 401 tests: GET /rs/whoami answers 200 {"sub"} for a valid
//   access token and 401 otherwise; POST /rs/distrust marks the presented token as rejected
//   from now on (the server "forgets" it, as a resource server restarted with new keys would).
import http from 'node:http';
import Provider from 'oidc-provider';

const host = '127.0.0.1';
const shortTtl = Number(process.env.OIDC_SHORT_TTL || 4);
const distrusted = new Set();
let provider;

function bearer(req) {
  const header = req.headers.authorization || '';
  return header.startsWith('Bearer ') ? header.slice(7) : '';
}

function json(res, status, body, extra = {}) {
  res.writeHead(status, { 'Content-Type': 'application/json', ...extra });
  res.end(JSON.stringify(body));
}

async function resourceServer(req, res) {
  const token = bearer(req);
  if (req.url === '/rs/distrust' && req.method === 'POST') {
    distrusted.add(token);
    return json(res, 204, {});
  }
  if (req.url === '/rs/whoami' && req.method === 'GET') {
    const found = token && !distrusted.has(token) ? await provider.AccessToken.find(token) : undefined;
    if (!found || found.isExpired)
      return json(res, 401, { type: 'about:blank', title: 'Unauthorized', status: 401 },
                  { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
    return json(res, 200, { sub: found.accountId });
  }
  return json(res, 404, { title: 'Not Found', status: 404 });
}

async function interaction(req, res) {
  const { prompt, params, session } = await provider.interactionDetails(req, res);
  if (params.login_hint === 'deny') {
    // The person declines on the sign-in page: the provider redirects with error=access_denied.
    return provider.interactionFinished(req, res, {
      error: 'access_denied', error_description: 'The operator declined the sign-in',
    }, { mergeWithLastSubmission: false });
  }
  if (prompt.name === 'login') {
    return provider.interactionFinished(req, res, { login: { accountId: 'operator1' } },
                                        { mergeWithLastSubmission: false });
  }
  const grant = new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
  grant.addOIDCScope(String(params.scope));
  const grantId = await grant.save();
  return provider.interactionFinished(req, res, { consent: { grantId } },
                                      { mergeWithLastSubmission: true });
}

const server = http.createServer((req, res) => {
  const handle = req.url.startsWith('/interaction/') ? interaction
               : req.url.startsWith('/rs/') ? resourceServer
               : provider.callback();
  Promise.resolve(handle(req, res)).catch((err) => {
    console.error('oidc-server:', err);
    if (!res.headersSent)
      json(res, 500, { error: 'server_error' });
  });
});

server.listen(Number(process.env.PORT || 0), host, () => {
  const issuer = `http://${host}:${server.address().port}`;
  const nativeClient = (id) => ({
    client_id: id,
    application_type: 'native',
    token_endpoint_auth_method: 'none',
    redirect_uris: ['http://127.0.0.1/callback'],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
  });
  provider = new Provider(issuer, {
    clients: [nativeClient('console'), nativeClient('console-short')],
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
    },
    interactions: { url: (ctx, i) => `/interaction/${i.uid}` },
    findAccount: async (ctx, sub) => ({ accountId: sub, claims: async () => ({ sub }) }),
    cookies: { keys: ['switchboard-tests-only-cookie-key'] },
    ttl: {
      AccessToken: (ctx, token, client) => (client?.clientId === 'console-short' ? shortTtl : 600),
      AuthorizationCode: 60,
      IdToken: 600,
      RefreshToken: 3600,
      Interaction: 600,
      Session: 3600,
      Grant: 3600,
    },
  });
  provider.on('server_error', (ctx, err) => console.error('oidc-provider server_error:', err));
  console.log(`OIDC_READY ${issuer}`);
});

process.on('SIGTERM', () => server.close(() => process.exit(0)));
