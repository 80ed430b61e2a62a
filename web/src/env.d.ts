// esbuild bundles CSS imported from TypeScript; this tells the type checker such imports exist.
declare module '*.css';
