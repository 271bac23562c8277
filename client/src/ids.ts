// The names VS Code, package.json and the end-to-end tests know the client's parts by.
// test/unit/client/manifest.test.ts keeps package.json in step with them.

/** Also the settings prefix: vscode-languageclient reads `${CLIENT_ID}.trace.server`. */
export const CLIENT_ID = 'klpLens';
export const CLIENT_NAME = 'Livepatch Lens';
export const OUTPUT_CHANNEL = 'Livepatch Lens';

export const VIEW_CONTAINER_ID = 'klpLens';
export const SERIES_VIEW_ID = 'klpLens.series';
export const KERNEL_STATUS_ID = 'klpLens.kernel';
export const SERIES_STATUS_ID = 'klpLens.seriesStatus';
export const STATE_PANEL_TYPE = 'klpLens.seriesState';
export const STATE_PANEL_TITLE = 'Livepatch Series State';

/** The "Build module" task's type (package.json taskDefinitions) and its problem matcher (problemMatchers). */
export const TASK_TYPE = 'klp-lens';
export const PROBLEM_MATCHER = 'klp-lens';

/** The setting that klpLens.selectKernel writes. */
export const BUILD_DIR_SETTING = 'kernel.buildDir';
/** The series file's setting (klpLens.series). */
export const SERIES_SETTING = 'series';

/** The inspector port of the server under F5 (.vscode/launch.json attaches to it). */
export const SERVER_DEBUG_PORT = 6009;
