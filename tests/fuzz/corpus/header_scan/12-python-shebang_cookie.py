	#!/usr/bin/env python3
# -*- coding: utf-8 -*-
# SPDX-FileCopyrightText: © 2024 Jane Doe <jane@example.org>
#
# SPDX-License-Identifier: GPL-3.0-or-later
"""A tool."""

import sys
