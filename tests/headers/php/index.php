<?php
/**
 * SPDX-FileCopyrightText: 2024 Example
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
declare(strict_types=1);

echo "hello";
