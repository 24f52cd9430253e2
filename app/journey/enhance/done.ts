// The embedded journey's last page tells the portal that the account is activated: a postMessage
// aimed at each allowed origin (the browser delivers it only to the one that matches the parent).
import { DONE_DATA_ID, type DoneMessageData } from "./contract";

const script = document.getElementById(DONE_DATA_ID);
if (script?.textContent && window.parent !== window) {
  const { message, origins } = JSON.parse(script.textContent) as DoneMessageData;
  for (const origin of origins) {
    try {
      window.parent.postMessage(message, origin);
    } catch {
      /* not the parent's origin */
    }
  }
}
