import { HttpRequest, InvocationContext } from '@azure/functions';

export function jsonRequest(
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): HttpRequest {
  const text = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  return new HttpRequest({
    method,
    url,
    headers: { 'content-type': 'application/json', ...headers },
    body: text === undefined ? undefined : { string: text },
  });
}

export function requestWithParams(url: string, params: Record<string, string>): HttpRequest {
  return new HttpRequest({ method: 'GET', url, params });
}

export function invocationContext(): InvocationContext {
  return new InvocationContext({ functionName: 'test', invocationId: 'test', logHandler: () => {} });
}
