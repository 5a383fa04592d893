from ocr_lab.cli import main

raise SystemExit(main())
