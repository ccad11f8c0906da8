"""
Module docstring: strings are not comments.

SPDX-License-Identifier: MIT
"""

import os
