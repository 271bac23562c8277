// Where the oracle keeps its templates and its cache (.cache/oracle/, ignored by git).
import * as path from 'node:path';
import { packageRoot } from '../../server/src/common/packageRoot';

export const ROOT = packageRoot();
export const TEMPLATES = path.join(ROOT, 'oracle', 'templates');
export const CACHE = path.join(ROOT, '.cache', 'oracle');
/** The kernel's livepatch selftests and their modules (test input, read at run time). */
export const SHARED_LINUX = path.resolve(ROOT, '..', 'shared', 'corpus', 'linux-6.1');
