plugins {
    `java-library`
    kotlin("jvm") version "2.0.0"
}

val ktorVersion: String by project

dependencies {
    implementation(kotlin("stdlib"))
    implementation(kotlin("reflect", "2.0.0"))
    implementation("io.ktor:ktor-server-core:$ktorVersion")
    implementation("com.squareup.okhttp3:okhttp:4.12.0")
    api(group = "org.slf4j", name = "slf4j-api", version = "2.0.13")
    implementation(enforcedPlatform("com.fasterxml.jackson:jackson-bom:2.17.1"))
    implementation(libs.kotlinx.coroutines.core)
    implementation(project(":core"))
    "implementation"("org.example:quoted-conf:1.0")
    testImplementation("io.kotest:kotest-runner-junit5:5.9.1") {
        exclude(group = "org.jetbrains.kotlin")
    }
    androidTestImplementation("androidx.test:runner:1.5.2")
    ksp("com.google.dagger:dagger-compiler:2.51.1")
    constraints {
        implementation("org.apache.commons:commons-text:1.12.0") {
            because("CVE-2022-42889")
        }
    }
}

val s = """
dependencies { implementation("not:a:dep") }
"""
