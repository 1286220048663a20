// Vault contracts (issue 5) are added here.
export {};
