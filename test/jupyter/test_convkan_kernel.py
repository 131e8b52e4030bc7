"""jupyter_kernel_test suite for the ConvKAN kernel: every sample attribute is filled in.

Run by test/jupyter/kernelTest.test.ts with Debian's /usr/bin/python3, after it installed the
kernelspec (name in CONVKAN_KERNEL_NAME) into a temporary JUPYTER_PATH.
"""
import os
import unittest

import jupyter_kernel_test as jkt


class ConvKANKernelTests(jkt.KernelTests):
    kernel_name = os.environ.get("CONVKAN_KERNEL_NAME", "convkan")
    language_name = "typescript"
    file_extension = ".ts"

    code_hello_world = 'console.log("hello, world")'
    code_stderr = 'console.error("something went wrong")'

    # matches are compared as sets; completions come from the TypeScript language service
    completion_samples = [
        {"text": "Math.ma", "matches": {"max"}},
        {"text": "JSON.str", "matches": {"stringify"}},
        {"text": "const zebraLength = 3; zebraLen", "matches": {"zebraLength"}},
    ]

    complete_code_samples = ["1 + 1", "const x = 1;", "function f(a: number) { return a * 2; }"]
    incomplete_code_samples = ["function f() {", "const a = [1,", "if (true) {"]
    invalid_code_samples = ["const = 5", "1 +* 2", "}"]

    # IPython's `name?`: the inspect text of name, sent as a pager payload
    code_page_something = "Math.max?"

    code_generate_error = 'throw new Error("boom")'

    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": '"conv" + "kan"', "result": "'convkan'"},
        {"code": "tf.tensor([1, 2, 3]).shape", "mime": "text/plain"},
    ]

    code_display_data = [
        {"code": 'display.html("<b>ConvKAN</b>")', "mime": "text/html"},
        {"code": 'display.markdown("**ConvKAN**")', "mime": "text/markdown"},
        {"code": "display.svg(\"<svg xmlns='http://www.w3.org/2000/svg'></svg>\")", "mime": "image/svg+xml"},
        {"code": "display.json({ layers: 2 })", "mime": "application/json"},
    ]

    # a glob, as IPython's history search: matches the "6 * 7" sample above
    code_history_pattern = "6 ? 7"
    supported_history_operations = ("tail", "range", "search")

    code_inspect_sample = "Math.max"

    code_clear_output = "display.clear()"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The first cell loads TF.js and the first completion the TypeScript service; on a busy
        # machine that can outlast the suite's per-reply timeouts, so pay for both here, once.
        reply = cls.kc.execute_interactive("tf.tensor([1, 2, 3]).shape", timeout=300)
        assert reply["content"]["status"] == "ok", reply["content"]
        cls.kc.complete("Math.ma", 7, reply=True, timeout=300)

    def test_convkan_kernel_info_backend(self):
        """kernel_info_reply carries the TensorFlow.js backend as data; the banner says it in words."""
        content = self.kc.kernel_info(reply=True, timeout=30)["content"]
        backend = content.get("convkan")
        self.assertIsInstance(backend, dict, content)
        self.assertIn(backend["backend"], ("tensorflow", "wasm", "cpu"), backend)
        self.assertTrue(backend["label"] and backend["reason"], backend)
        self.assertIn(f"backend: {backend['label']} ({backend['reason']})", content["banner"])


if __name__ == "__main__":
    unittest.main()
