// Prints the plain closing line "tests: N passed, N failed" so CI logs state the count in
// a form any reader (human or tool) recognises, whatever jest's own summary looks like.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    process.stdout.write(`\ntests: ${results.numPassedTests} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : '') + '\n');
  }
}
module.exports = SummaryReporter;
