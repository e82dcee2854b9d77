// Jest transform: esbuild strips TypeScript types and emits CommonJS, per file (no type check;
// `npm run typecheck` does that). Chosen over @swc/jest because swc's platform binaries are not all
// on the registry this project installs from, which leaves package-lock.json unusable by `npm ci`.
const { transformSync } = require('esbuild');

module.exports = {
  process(source, filename) {
    const loader = filename.endsWith('.tsx') ? 'tsx' : filename.endsWith('.ts') ? 'ts' : 'js';
    const result = transformSync(source, {
      loader,
      format: 'cjs',
      target: 'node20',
      sourcemap: 'inline',
      sourcefile: filename,
      jsx: 'transform',
    });
    return { code: result.code };
  },
  getCacheKey(source, filename) {
    return require('node:crypto').createHash('sha1').update(filename).update('\0').update(source).update('\0esbuild-v1').digest('hex');
  },
};
