#!/usr/bin/env bash
# Prints each missing test prerequisite and exits non-zero when any is missing.
# Each part of the project that needs a system tool adds its check here.
missing=0
need() { if ! eval "$2" >/dev/null 2>&1; then echo "- $1"; missing=1; fi; }
need "chromium (apt: chromium)" "command -v chromium"
need "python3 jupyter_kernel_test (apt: python3-jupyter-kernel-test)" "/usr/bin/python3 -c 'import jupyter_kernel_test'"
need "python3 nbclient (apt: python3-nbclient)" "/usr/bin/python3 -c 'import nbclient'"
need "jupyter console/nbconvert (apt: jupyter-client jupyter-nbconvert)" "command -v jupyter-nbconvert || /usr/bin/python3 -c 'import nbconvert'"
need "jupyter console (apt: jupyter-console)" "command -v jupyter-console"
need "PyTorch, for the bridge test and bench:torch (apt: python3-torch)" "/usr/bin/python3 -c 'import torch'"
need "Fashion-MNIST data (apt: dataset-fashion-mnist)" "test -f /usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz"
need "code-server 4.99.4 (test/setup/system.sh)" "test -x \"\${CONVKAN_CODE_SERVER_DIR:-\$HOME/.cache/convkan-notebook/code-server}/node_modules/.bin/code-server\""
exit $missing
