// Atomic file writes (temp file in the same folder, fsync, rename): one implementation, backend-node's,
// so checkpoints, logs and plots share it. A kill at any moment leaves the old file or the new one.
export { writeFileAtomic } from '@adatosk/backend-node';
