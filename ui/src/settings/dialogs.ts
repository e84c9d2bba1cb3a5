// The settings view's native file dialogs: what each asks for and which files it offers
// (../brief/platform.ts opens them, and lets end-to-end tests answer them).

import { pickFile, saveFile, type DialogFilter } from '../brief/platform';

const BACKUPS: DialogFilter = { name: 'Briefwright backups', extensions: ['gz', 'tgz'] };

/** A .p12/.pfx file holding an identity to import. */
export function pickP12(testHooks: boolean): Promise<string | null> {
  return pickFile({ title: 'Import a signing identity', filters: [{ name: 'PKCS #12 identities', extensions: ['p12', 'pfx'] }], testHooks });
}

/** Where to save the certificate of the identity `name`. */
export function saveCertificate(name: string, testHooks: boolean): Promise<string | null> {
  return saveFile({
    title: `Save the certificate of ${name}`,
    defaultPath: `${name.replace(/[\\/:*?"<>|]+/g, '-')}.pem`,
    filters: [{ name: 'Certificates', extensions: ['pem', 'crt', 'cer'] }],
    testHooks,
  });
}

/** A file of certificates to trust. */
export function pickCertificates(testHooks: boolean): Promise<string | null> {
  return pickFile({ title: 'Trust certificates from a file', filters: [{ name: 'Certificates', extensions: ['pem', 'cer', 'crt'] }], testHooks });
}

/** A logo image for the briefs' title page. */
export function pickLogo(testHooks: boolean): Promise<string | null> {
  return pickFile({ title: 'Choose a logo', filters: [{ name: 'Images', extensions: ['png', 'jpg', 'jpeg'] }], testHooks });
}

/** Where to write a backup of the whole library. */
export function saveBackup(defaultPath: string, testHooks: boolean): Promise<string | null> {
  return saveFile({ title: 'Back up the whole library', defaultPath, filters: [BACKUPS], testHooks });
}

/** A backup to restore the library from. */
export function pickBackup(testHooks: boolean): Promise<string | null> {
  return pickFile({ title: 'Restore the library from a backup', filters: [BACKUPS], testHooks });
}
