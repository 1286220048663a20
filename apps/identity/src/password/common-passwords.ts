// The most common passwords of public breach corpora (top of the SecLists / NCSC "100k most common"
// lists) that are at least 8 characters long, i.e. the ones the length rule alone would let through.
// Compared case-insensitively (PW-2: check against breached/top passwords).
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
  '12345678', '123456789', '1234567890', '12345678910', '123123123', '11111111', '00000000', '88888888',
  '87654321', '987654321', '0987654321', '11223344', '12341234', '1q2w3e4r', '1q2w3e4r5t', '1qaz2wsx',
  'qwertyuiop', 'qwerty123', 'qwerty1234', 'qwertyui', 'asdfghjkl', 'asdfasdf', 'zxcvbnm1', 'q1w2e3r4',
  'password', 'password1', 'password12', 'password123', 'password1234', 'passw0rd', 'p@ssw0rd', 'p@ssword',
  'iloveyou', 'iloveyou1', 'sunshine', 'princess', 'football', 'baseball', 'superman', 'starwars',
  'whatever', 'trustno1', 'welcome1', 'welcome123', 'letmein1', 'letmein123', 'admin123', 'administrator',
  'changeme', 'changeme1', 'computer', 'internet', 'michelle', 'jennifer', 'abcd1234', 'abc12345',
  'abcdefgh', 'aa123456', 'a1b2c3d4', 'master123', 'dragon123', 'monkey123', 'shadow123', 'freedom1',
  'qazwsxedc', 'zaq12wsx', 'mypassword', 'secret123', 'test1234', 'testtest', 'lockwell', 'lockwell123',
  'football1', 'baseball1', 'charlie1', 'jordan23', 'liverpool', 'chelsea1', 'arsenal1', 'pokemon1',
  'minecraft', 'samsung1', 'garfield', 'blink182', 'qwer1234', 'asdf1234', 'zxcv1234', '147258369',
  '741852963', '159753456', '123qweasd', '1qazxsw2', 'qweasdzxc', 'passpass', 'loveyou1', 'hello123',
]);
