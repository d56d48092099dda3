/**
 * email-reply-parser ships only as an ES module. Node loads it with require() (require(esm), Node
 * 20.19 and later), which is how the compiled server gets it; Jest 29's own module system cannot
 * (it would have to run with --experimental-vm-modules). jest.config.js maps the package here, and
 * this hands the test the copy Node's own require() loads: Jest's `module` stand-in would resolve
 * the name through the mapping again, so the real `module` is taken from process.getBuiltinModule.
 */
const { createRequire } = process.getBuiltinModule('node:module');

module.exports = createRequire(__filename)('email-reply-parser');
