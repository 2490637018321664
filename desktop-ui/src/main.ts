import { mount } from "svelte";
import "./app.css";
import App from "./App.svelte";

const target = document.getElementById("app");
if (!target) {
  throw new Error("Galla could not find the #app element in index.html.");
}

export default mount(App, { target });
