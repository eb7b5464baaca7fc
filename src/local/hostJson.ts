/** host.json as the local runtime reads it, and the `%SETTING%` expressions of bindings. */
export interface HostJson {
  extensions?: {
    http?: { routePrefix?: string };
    queues?: { maxDequeueCount?: number; visibilityTimeout?: string; maxPollingInterval?: string };
    durableTask?: { hubName?: string; storageProvider?: { maxQueuePollingInterval?: string } };
  };
}

/** `%NAME%` in a binding or host.json value is the app setting NAME, as in Azure. */
export const resolveSetting = (value: string) =>
  value.replace(/%([^%]+)%/g, (_, name: string) => process.env[name] ?? '');
