/** What was thrown, as a message may show it. */
export const errorMessage = (error: unknown) => (error instanceof Error ? error.message : String(error));
