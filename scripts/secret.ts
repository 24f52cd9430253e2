// npm run secret — a new client secret or admin token and the hash to put in the configuration.
import { randomSecret, secretHash } from "../server/lib/crypto.js";

const secret = randomSecret(32);
console.log(`secret: ${secret}`);
console.log(`hash:   ${secretHash(secret)}`);
console.log("Give the secret to the client (or administrator) once; put only the hash in the configuration.");
