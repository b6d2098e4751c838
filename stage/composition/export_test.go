package composition

// IdempotencyToken is idempotencyToken, for the tests of the tokens Start sends.
var IdempotencyToken = idempotencyToken
