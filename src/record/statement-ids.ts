// The record's type URIs on their own, so writing a record does not load the zod schema that reading
// and verifying one needs.
export const PREDICATE_TYPE = 'https://handrail.dev/completion-record/v1';
export const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
