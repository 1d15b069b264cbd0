// Starts fauxqs (SNS + SQS emulator) bound to 127.0.0.1 only; its own CLI always binds 0.0.0.0.
// Usage: node fauxqs-loopback.mjs <path to fauxqs/dist/app.js> <port>
import { pathToFileURL } from "node:url";

const [appPath, port] = process.argv.slice(2);
const { buildApp } = await import(pathToFileURL(appPath).href);
const app = buildApp({ logger: false });
const address = await app.listen({ port: Number(port), host: "127.0.0.1" });
console.log("fauxqs ready at " + address);
const stop = () => app.close().then(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
