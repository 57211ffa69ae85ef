/** The `conicfit` command line (filled in with the trace command by the output stage). */
console.error('conicfit: the command line is not built yet; see README.');
process.exit(2);
