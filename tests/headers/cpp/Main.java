/*
 * Copyright (c) 2019 Example Corp.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
package org.example;

public final class Main {
    public static void main(String[] args) {}
}
