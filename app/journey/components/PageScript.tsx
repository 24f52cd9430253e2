// A journey page's own script: its data as JSON the script reads, and the fingerprinted module
// (app/journey/enhance/). The journey pages do not hydrate; this is all the JavaScript they load.
import { useRouteLoaderData } from "@remix-run/react";
import { scriptJson, type DoneMessageData, type EnhanceData } from "~/journey/enhance/contract";
import type { ScriptName } from "~/journey/enhance/assets.server";
import type { loader as rootLoader } from "~/root";

export function PageScript({ name, dataId, data }: { name: ScriptName; dataId: string; data: EnhanceData | DoneMessageData }) {
  const root = useRouteLoaderData<typeof rootLoader>("root");
  if (!root) return null;
  return (
    <>
      <script type="application/json" id={dataId} nonce={root.nonce} dangerouslySetInnerHTML={{ __html: scriptJson(data) }} />
      <script type="module" src={root.scripts[name]} nonce={root.nonce} />
    </>
  );
}
