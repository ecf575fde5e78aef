// For the repository's tsc, which does not read single-file components (vue-tsc does: `pnpm typecheck` here).
declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent;
  export default component;
}
