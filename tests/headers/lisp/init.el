;;; init.el --- startup  -*- lexical-binding: t -*-
;; SPDX-License-Identifier: GPL-3.0-or-later
(message "hi")
