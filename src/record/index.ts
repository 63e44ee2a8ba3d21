// What the rest of handrail uses from src/record: the recorder the `run` command starts, resume
// lookup, the signing key, and record verification.
export { startRecorder, type RunRecorder, type RecorderOptions } from './recorder';
export { findResumable, discardResumable, journalsDir } from './resume';
export { loadSigningKey, publicKeyPem, type SigningKey } from './keys';
export { verifyRecord, type VerifyOutcome } from './verify';
export { PREDICATE_TYPE, type Predicate, type Statement } from './predicate';
export { checkRecordIdentity, checkRecordOnGithub, githubKeyCache, type IdentityVerdict, type OwnerSource } from './identity';
export { findSshIdentity, type SshIdentity } from './ssh-identity';
