import Module from 'node:module';

import type { BindingInfo, FunctionCallback, FunctionMetadata, ProgrammingModel } from './coreTypes';

export interface RegisteredFunction {
  name: string;
  bindings: Record<string, BindingInfo>;
  triggerName: string;
  trigger: BindingInfo;
  callback: FunctionCallback;
}

type Hook = (context: Record<string, unknown>) => unknown;

/** What the app registered while it loaded, captured through the worker's own interface. */
export class FunctionRegistry {
  readonly functions = new Map<string, RegisteredFunction>();
  readonly hooks = new Map<string, Hook[]>();
  programmingModel?: ProgrammingModel;

  get(name: string): RegisteredFunction | undefined {
    return this.functions.get(name);
  }

  ofTriggerType(type: string): RegisteredFunction[] {
    return [...this.functions.values()].filter((f) => f.trigger.type?.toLowerCase() === type.toLowerCase());
  }

  model(): ProgrammingModel {
    if (!this.programmingModel)
      throw new Error('the app did not set a programming model (is @azure/functions loaded?)');
    return this.programmingModel;
  }
}

class Disposable {
  static from(...items: { dispose: () => unknown }[]) {
    return new Disposable(() => items.forEach((i) => i.dispose()));
  }
  constructor(private readonly onDispose: () => unknown) {}
  dispose() {
    this.onDispose();
  }
}

/**
 * The `@azure/functions-core` module the real worker injects. @azure/functions requires it lazily
 * on the first registration, so it must be installed before the app's entry points load.
 */
export function createCoreApi(registry: FunctionRegistry, log: (level: string, message: string) => void) {
  return {
    version: 'autotier-local',
    hostVersion: '4.0.0-autotier-local',
    Disposable,
    registerFunction(metadata: FunctionMetadata, callback: FunctionCallback) {
      if (typeof metadata.name !== 'string' || metadata.name === '' || metadata.name === 'undefined') {
        throw new Error('a function was registered without a name (is a name constant missing?)');
      }
      if (registry.functions.has(metadata.name))
        throw new Error(`function "${metadata.name}" is registered twice`);
      const entry = Object.entries(metadata.bindings).find(([, b]) => /trigger$/i.test(b.type ?? ''));
      if (!entry) throw new Error(`function "${metadata.name}" has no trigger binding`);
      const [triggerName, trigger] = entry;
      refuseUnsupported(metadata.name, trigger.type ?? '', metadata.bindings);
      registry.functions.set(metadata.name, {
        name: metadata.name,
        bindings: metadata.bindings,
        triggerName,
        trigger,
        callback,
      });
      return new Disposable(() => registry.functions.delete(metadata.name));
    },
    registerHook(name: string, callback: Hook) {
      const list = registry.hooks.get(name) ?? [];
      list.push(callback);
      registry.hooks.set(name, list);
      return new Disposable(() => list.splice(list.indexOf(callback), 1));
    },
    setProgrammingModel(model: ProgrammingModel) {
      registry.programmingModel = model;
    },
    getProgrammingModel() {
      return registry.programmingModel;
    },
    log(level: string, _category: string, message: string) {
      log(level, message);
    },
  };
}

type ModuleLoad = (request: string, parent: unknown, isMain: boolean) => unknown;

let installed: unknown;

/** Answers `require('@azure/functions-core')` with our core API, as the worker does. */
export function installCoreApi(api: unknown): void {
  if (installed) throw new Error('the local runtime can host one app per process');
  installed = api;
  const mod = Module as unknown as { _load: ModuleLoad };
  const original = mod._load;
  mod._load = function (request: string, parent: unknown, isMain: boolean) {
    if (request === '@azure/functions-core') return installed;
    return original.call(this, request, parent, isMain);
  };
}

/**
 * What the local runtime cannot run is refused when the app registers it, by name, rather than
 * dropped in silence at run time: output bindings (other than an HTTP response) and Durable
 * entities.
 */
function refuseUnsupported(name: string, triggerType: string, bindings: Record<string, BindingInfo>): void {
  if (triggerType === 'entityTrigger')
    throw new Error(`function "${name}": Durable entities are not supported by the local runtime`);
  const outputs = Object.values(bindings)
    .filter((b) => b.direction === 'out' && b.type !== 'http')
    .map((b) => b.type ?? 'unknown');
  if (outputs.length > 0)
    throw new Error(
      `function "${name}": output bindings (${outputs.join(', ')}) are not supported by the local runtime; write through an SDK client in the function instead`,
    );
}
