// The invitation rules (server/invitations/) the journey's route modules call. Route modules reach
// the server's code only through `.server` modules: the page compiler leaves those out of the
// browser bundle, where the store's drivers could never load.
export { acceptInvitation, lookupLink, tokenHashOf } from "../../server/invitations/activate.js";
export { confirmJoin, JOIN_LOCK_MINUTES, joinGrants, lockedUntil } from "../../server/invitations/join.js";
