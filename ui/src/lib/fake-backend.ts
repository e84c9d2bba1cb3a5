// Tests only: a `Backend` whose methods reject unless a test supplies them.

import { BackendError, type Backend } from './backend';

const METHODS: (keyof Backend)[] = [
  'appInfo',
  'listReports',
  'listTags',
  'importFiles',
  'getReport',
  'createReport',
  'saveReport',
  'setStatus',
  'duplicateReport',
  'deleteReport',
  'listRevisions',
  'getRevision',
  'restoreRevision',
  'attachImages',
  'attachImageData',
  'setCaption',
  'moveFigure',
  'removeFigure',
  'thumbnail',
  'previewOpen',
  'previewPage',
  'previewClose',
  'exportReport',
  'listSignedExports',
  'openExported',
  'revealExported',
  'listIdentities',
  'createIdentity',
  'importIdentity',
  'exportCertificate',
  'deleteIdentity',
  'unlockIdentity',
  'lockIdentity',
  'sessionStatus',
  'listTrusted',
  'trustCertificateFile',
  'trustSigner',
  'removeTrusted',
  'verifyFile',
  'getSettings',
  'saveSettings',
  'setLogo',
  'clearLogo',
  'backupLibrary',
  'restoreLibrary',
];

/** A backend with `parts` filled in; any other call rejects with code `not_faked`. */
export function fakeBackend(parts: Partial<Backend> = {}): Backend {
  const backend = {} as Record<keyof Backend, unknown>;
  for (const name of METHODS) {
    backend[name] =
      parts[name] ?? (() => Promise.reject(new BackendError('not_faked', `${name} is not faked in this test`)));
  }
  return backend as Backend;
}
