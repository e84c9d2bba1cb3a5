// `npm run tauri -- <command>`: the Tauri CLI, pointed at ../src-tauri on every OS.
//
// The app crate lives beside ui/, not under it, so the CLI needs TAURI_APP_PATH to find it; an
// npm script cannot set an environment variable portably (Windows), hence this wrapper.
// Example: npm run tauri -- build --debug --bundles deb

import { fileURLToPath } from 'node:url';
import { run } from '@tauri-apps/cli';

process.env.TAURI_APP_PATH ??= fileURLToPath(new URL('../../src-tauri', import.meta.url));

try {
  await run(process.argv.slice(2), 'npm run tauri --');
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
