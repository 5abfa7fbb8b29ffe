"""What every server-rendered site of the platform shares (portal-web, the admin app):
languages and catalogs (``i18n``), number and date formats (``formats``), templates
(``pages``), cookies (``cookies``), security headers and CSRF checks (``security``), body caps
(``limits``), redirects and error pages (``errors``)."""
