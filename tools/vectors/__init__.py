# SPDX-License-Identifier: Apache-2.0
"""The generators of hopcheck's test vectors and the helpers they share
(common.py).  Each gen_*.py is a program; run it from the tree's top."""
