// Package httpx is the HTTP plumbing every API of landatlas shares, so that a rule means the same
// on every route: response compression (one middleware, from klauspost/compress), conditional
// requests (ETag and If-None-Match), the strict reading of query strings and their parameters with
// one set of 400 messages, and the public base URL of links.
//
// Errors are written by internal/problem; this package only produces them (as internal/apperr
// kinds) and never writes a problem document itself.
package httpx
