// Package auth owns who people are and what they may do: accounts, argon2id
// passwords, sessions, one-time links sent by mail (verify, log in, reset,
// change email), TOTP second factors, rate limits that hold across nodes
// (log-in limits that tell the owner's browsers and usual addresses from
// strangers', devices.go), API tokens, and the Policy that answers "may this principal do this action on
// this resource" for every service in Momentum.
//
// Secrets never rest in the database in the clear: session ids, mailed links,
// device cookies and API tokens are stored as SHA-256 hashes and passwords as argon2id hashes.
// Every write runs in one transaction with its audit record and the mail it
// queues, and no audit record carries a password, token or code.
//
// It imports only other platform packages (db, errs, audit, reqctx, mail);
// never a domain package. Domains that know more about a person (group roles)
// plug in through small interfaces such as GroupRoles. Its web pages live
// elsewhere and call Service.
package auth
