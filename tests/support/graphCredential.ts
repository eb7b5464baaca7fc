/** The token the tests' Graph emulator (src/local/graphEmulator.ts) asks for, and a credential that holds it. */
export const GRAPH_TEST_TOKEN = 'directory-test-token';

/** An @azure/identity-shaped credential for the emulator started with `token: GRAPH_TEST_TOKEN`. */
export const graphTestCredential = {
  getToken: () => Promise.resolve({ token: GRAPH_TEST_TOKEN, expiresOnTimestamp: Date.now() + 3_600_000 }),
};
