/** Test helpers shared by the gateway's packages: allocation measurement. */
package io.warren.gateway.testing;
