// The problem codes that are no check: what reading the input, building a module or the engine
// itself reports. Documented like the checks, so every diagnostic's code links to a page.
import type { Check } from './check';

export type ProblemDoc = Pick<Check, 'id' | 'title' | 'doc'>;

export const INPUT_PROBLEMS: readonly ProblemDoc[] = [
  {
    id: 'parse-error',
    title: 'Input klp-lens could not read whole',
    doc:
      'A line of a patch diff, a series file, a `patched_funcs.csv`, Module.symvers, kallsyms, System.map, ' +
      'a .config or a module source that klp-lens could not make sense of. The line is left out and the ' +
      'rest is read; the message says what was expected. Findings that depend on the line may be missing.',
  },
  {
    id: 'unreadable-input',
    title: 'A file klp-lens could not read',
    doc:
      'A file named on the command line, in the settings or in the series could not be read (missing, a ' +
      'directory, no permission, not valid for its kind, e.g. a .ko that is no ELF module). Nothing of it ' +
      'is used. On the command line an unreadable kernel file makes `klp-lens` exit with status 2.',
  },
  {
    id: 'outside-workspace',
    title: 'A path that leads outside the workspace',
    doc:
      'klp-lens reads only inside the folders it was given (the workspace, the series file\'s folder, the ' +
      'paths on the command line) and inside the kernel source tree. A series line that names a file ' +
      'elsewhere (`/etc/passwd`, `../../../x.patch`), a symbolic link in the workspace whose target is ' +
      'elsewhere (`/`, `/dev/zero`), and a patch whose file header leaves the source tree ' +
      '(`b/../../../tmp/x.c`) are not read: a workspace could otherwise make klp-lens show the contents of ' +
      'any file the user can read. A series line is an error (that livepatch is not in the series); a link ' +
      'or a header is a warning. Move the file into the workspace, or open the folder that holds it.',
  },
  {
    id: 'vmlinux-mismatch',
    title: 'A vmlinux that is not the kernel of its kallsyms or System.map',
    doc:
      'Beside kallsyms or System.map, klp-lens reads a vmlinux ELF file (klpLens.kernel.vmlinux, `--vmlinux`, ' +
      'the kernel directory\'s vmlinux, or Debian\'s linux-image-<release>-dbg in /usr/lib/debug) only for the ' +
      'source file of each occurrence of a name that occurs more than once, shown with the old_sympos ' +
      'choices. Its occurrences of some names differ in number or relative address from the symbol table\'s, ' +
      'so it was built from other sources or another configuration: those names get no source file. Install ' +
      'the -dbg package of the same release (and ABI) as the kernel.',
  },
  {
    id: 'internal-error',
    title: 'A check failed inside klp-lens',
    doc:
      'A check threw on this input: a bug in klp-lens, reported instead of hiding the other checks\' ' +
      'findings. The message names the check; please report it with the input that caused it.',
  },
  {
    id: 'not-in-series',
    title: 'A livepatch that the series does not list',
    doc:
      'The file is a livepatch (a patch diff, a module source or a patched_funcs.csv) but the series file ' +
      'does not list it, so klp-lens reads it as loaded after every step of the series. The quick fix ' +
      '"Add to series" appends it to the series file.',
  },
  {
    id: 'unknown-build-object',
    title: 'A patched file whose object the kernel build does not say',
    doc:
      'kbuild (the Makefiles of the source tree) names no object this file is built into, and the kernel\'s ' +
      'symbol tables do not tell either; the functions of its hunks are read as vmlinux\'s. kpatch-build and ' +
      'klp-build would build whatever the kernel\'s build makes of the file: give klp-lens the source tree ' +
      'and the .config (or the kernel\'s .ko files) to know which object it is.',
  },
  {
    id: 'build',
    title: 'The compiler refused the module (Build Module, klp-lens build)',
    doc:
      'Building the hand-written livepatch module with the kernel\'s kbuild (`make -C <build dir> M=... ' +
      'modules`) failed or warned: the message is GCC\'s (or make\'s), at the line GCC names. A missing ' +
      'kernel build folder is reported here too: install the kernel\'s headers (linux-headers-<release>) ' +
      'or set klpLens.kernel.buildDir.',
  },
  {
    id: 'modpost',
    title: 'modpost refused the module',
    doc:
      'modpost (scripts/mod/modpost.c) checks every undefined symbol of the module against Module.symvers. ' +
      'A symbol nothing exports is "undefined!": the module would not load ("Unknown symbol"). Declare it ' +
      'as a klp symbol (the unexported-symbol quick fix); klp symbols themselves are undefined for modpost ' +
      'by design and are converted after the build.',
  },
  {
    id: 'klp-convert',
    title: 'The built module could not be converted',
    doc:
      'After the build, klp-lens turns the module\'s klp symbols into livepatch relocation sections ' +
      '(Documentation/livepatch/module-elf-format.rst); it refuses what the livepatch core would refuse (a ' +
      'vmlinux symbol in a module\'s section) and what it does not understand, with the reason.',
  },
];
