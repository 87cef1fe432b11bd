/**
 * Ink 6.8.0 takes one function, `throttle`, from es-toolkit's `compat` barrel, and that barrel
 * loads some 415 modules: about 0.2 s of the client's start on a 2-core machine, more than the rest
 * of Ink together. While Ink is imported, a resolve hook sends exactly that import (from Ink's own
 * build folder) to a module holding that one function, taken from the same es-toolkit. It needs
 * `module.registerHooks` (Node 22.15 and later, so every Node people run); on an older Node, or on
 * an Ink other than the pinned one, it stays out and says why (fence.ts), and Ink loads as shipped.
 * The client's bundle (scripts/bundle.mjs) makes the same redirect when it is built, on any Node.
 */
import module from 'node:module';
import { isBundled, notInstalled, versionMatches } from '@tui-chat/protocol/fence';
import { PATCHED_VERSIONS } from './versions.js';

export const INK_FAST_IMPORT = 'ink-fast-import';

interface ResolveContext {
  parentURL?: string | undefined;
}
interface Resolved {
  url: string;
  shortCircuit?: boolean;
}
type RegisterHooks = (hooks: {
  resolve: (specifier: string, context: ResolveContext, next: (specifier: string, context?: ResolveContext) => Resolved) => Resolved;
}) => { deregister(): void };

/** Installs the hook; call the returned function once Ink is loaded (it is only needed for that import). */
export function installInkFastImport(): () => void {
  if (!versionMatches(INK_FAST_IMPORT, 'ink', PATCHED_VERSIONS.ink, import.meta.url)) return () => undefined;
  // The bundle was built with this very import redirected (scripts/bundle.mjs): nothing to hook.
  if (isBundled()) return () => undefined;
  const registerHooks = (module as unknown as { registerHooks?: RegisterHooks }).registerHooks;
  if (!registerHooks) {
    notInstalled(INK_FAST_IMPORT, `Node ${process.versions.node} has no module.registerHooks (Node 22.15 or later has)`);
    return () => undefined;
  }
  let handle: { deregister(): void };
  try {
    handle = install(registerHooks);
  } catch (error) {
    // Jest, for one, refuses module hooks (they would reach past its sandbox): Ink loads as shipped.
    notInstalled(
      INK_FAST_IMPORT,
      `module.registerHooks refused the hook (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`,
    );
    return () => undefined;
  }
  return () => handle.deregister();
}

function install(registerHooks: RegisterHooks): { deregister(): void } {
  return registerHooks({
    resolve(specifier, context, next) {
      if (specifier !== 'es-toolkit/compat' || !context.parentURL || !/\/ink\/build\/[^/]+\.js$/.test(context.parentURL)) {
        return next(specifier, context);
      }
      let one: Resolved;
      try {
        one = next('es-toolkit/compat/throttle', context);
      } catch {
        notInstalled(INK_FAST_IMPORT, 'es-toolkit has no compat/throttle module; Ink loaded its whole compat barrel');
        return next(specifier, context);
      }
      const source = `export { default as throttle } from ${JSON.stringify(one.url)};`;
      return { url: `data:text/javascript,${encodeURIComponent(source)}`, shortCircuit: true };
    },
  });
}
