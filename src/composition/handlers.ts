import { type Services, services } from './services';

/**
 * A trigger's handler, made from the composition root once: on the first invocation (the root is
 * built lazily, after the host has loaded every function), and again only if building failed
 * (storage briefly away), so the next invocation tries afresh. Each trigger names the ports it
 * needs in `make` and nowhere else.
 */
export function withServices<A extends unknown[], R>(
  make: (s: Services) => (...args: A) => R | Promise<R>,
): (...args: A) => Promise<R> {
  let handler: Promise<(...args: A) => R | Promise<R>> | undefined;
  return async (...args: A): Promise<R> => {
    handler ??= services()
      .then(make)
      .catch((err: unknown) => {
        handler = undefined;
        throw err;
      });
    return (await handler)(...args);
  };
}
