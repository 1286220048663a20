// Stryker ignorer plugin (stryker.config.mjs `ignorers: ['LockwellMessages']`): does not mutate the human text
// of errors and log lines. What callers and tests rely on is the error's code (and its details), and what
// an operator relies on in logs are its fields; a reworded message changes neither, so a mutant that
// empties a message would be "equivalent" for every test that does not compare prose. Codes stay mutated:
// CryptoError('INVALID_KEY', ...) and the ErrorCode of a LockwellError are behaviour.
import { declareValuePlugin, PluginKind } from '@stryker-mutator/api/plugin';

const CODE_FIRST = new Set(['CryptoError', 'CertificateError']);
const LOG_METHODS = new Set(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'log']);

function isMessageArgument(path) {
  if (!path.isStringLiteral() && !path.isTemplateLiteral()) return false;
  const parent = path.parentPath;
  if (!parent?.isNewExpression() || !parent.get('callee').isIdentifier()) return false;
  const name = parent.node.callee.name;
  if (!name.endsWith('Error')) return false;
  const index = parent.node.arguments.indexOf(path.node);
  return !(CODE_FIRST.has(name) && index === 0);
}

function isLogCall(path) {
  // The statement too: Stryker's "remove this call" mutant sits on the expression statement.
  if (path.isExpressionStatement()) return isLogCall(path.get('expression'));
  if (!path.isCallExpression()) return false;
  const callee = path.get('callee');
  if (!callee.isMemberExpression() || !callee.get('property').isIdentifier()) return false;
  const object = callee.get('object');
  const target = object.isMemberExpression() ? object.node.property : object.node;
  return LOG_METHODS.has(callee.node.property.name) && /logger/i.test(target?.name ?? '');
}

export const strykerPlugins = [
  declareValuePlugin(PluginKind.Ignore, 'LockwellMessages', {
    shouldIgnore(path) {
      if (isMessageArgument(path)) return 'error message text (the error code is what callers and tests rely on)';
      if (isLogCall(path)) return 'log line (fields and level are not security behaviour)';
      return undefined;
    },
  }),
];
