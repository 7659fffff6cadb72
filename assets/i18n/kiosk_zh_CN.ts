<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>Alert</name>
    <message>
        <source>The shopper asked for help.</source>
        <translation>顾客请求协助。</translation>
    </message>
    <message>
        <source>An item needs an age check.</source>
        <translation>有商品需要核验年龄。</translation>
    </message>
    <message>
        <source>An item is not in the catalog: the shopper put it aside.</source>
        <translation>有商品不在商品目录中：顾客已将其放在一旁。</translation>
    </message>
    <message>
        <source>A recalled item was scanned: take it from the shopper.</source>
        <translation>扫描到召回商品：请从顾客处收回。</translation>
    </message>
    <message>
        <source>An item may not be sold (past its date or not for sale): take it.</source>
        <translation>有商品不可销售（已过期或本店不售）：请收回。</translation>
    </message>
    <message>
        <source>The shopper queries a price.</source>
        <translation>顾客对价格有疑问。</translation>
    </message>
    <message>
        <source>The receipt printer is out of paper.</source>
        <translation>小票打印机缺纸。</translation>
    </message>
    <message>
        <source>The receipt printer is not working.</source>
        <translation>小票打印机故障。</translation>
    </message>
    <message>
        <source>The camera stopped working.</source>
        <translation>摄像头停止工作。</translation>
    </message>
    <message>
        <source>A payment needs staff to confirm it.</source>
        <translation>有一笔付款需要店员确认。</translation>
    </message>
    <message>
        <source>Bag check: check the bag, then sign out to give the exit code.</source>
        <translation>购物袋抽检：请检查购物袋，然后退出登录，顾客即可获得离店码。</translation>
    </message>
    <message>
        <source>The shopper cannot get an item to scan.</source>
        <translation>顾客无法扫描某件商品。</translation>
    </message>
    <message>
        <source>The shopper wants an item taken off.</source>
        <translation>顾客要求删除一件商品。</translation>
    </message>
    <message>
        <source>A group-buy order was collected: bring it to the shopper.</source>
        <translation>团购订单已提货：请送到顾客手中。</translation>
    </message>
    <message>
        <source>A group-buy pickup code was not accepted: check the order.</source>
        <translation>团购提货码未通过：请核对订单。</translation>
    </message>
    <message>
        <source>Age check: %1.</source>
        <translation>核验年龄：%1。</translation>
    </message>
    <message>
        <source>Unknown item, barcode %1: put aside.</source>
        <translation>未知商品，条码 %1：已放在一旁。</translation>
    </message>
    <message>
        <source>Recalled: %1. Take it.</source>
        <translation>召回商品：%1。请收回。</translation>
    </message>
    <message>
        <source>Not for sale: %1. Take it.</source>
        <translation>不可销售：%1。请收回。</translation>
    </message>
    <message>
        <source>Line %1.</source>
        <translation>第 %1 行。</translation>
    </message>
</context>
<context>
    <name>AttractScreen</name>
    <message>
        <source>Scan your first item to start</source>
        <translation>扫描第一件商品即可开始</translation>
    </message>
    <message>
        <source>Hold a barcode up to the camera. No need to touch the screen.</source>
        <translation>将条形码对准摄像头，无需触摸屏幕。</translation>
    </message>
    <message>
        <source>Start ▶</source>
        <translation>开始 ▶</translation>
    </message>
    <message>
        <source>Members: scan the QR code in your app at any time for member prices.</source>
        <translation>会员：随时扫描App中的会员码，即享会员价。</translation>
    </message>
</context>
<context>
    <name>BagQuestion</name>
    <message>
        <source>Need a bag? %1 each</source>
        <translation>需要购物袋吗？每个 %1</translation>
    </message>
    <message>
        <source>No, thanks</source>
        <translation>不用了</translation>
    </message>
    <message>
        <source>1 bag</source>
        <translation>1 个</translation>
    </message>
    <message>
        <source>2 bags</source>
        <translation>2 个</translation>
    </message>
</context>
<context>
    <name>CameraView</name>
    <message>
        <source>Camera not working: use the hand scanner or ask staff</source>
        <translation>摄像头故障：请使用手持扫描枪或联系店员</translation>
    </message>
    <message>
        <source>Hold the barcode inside the frame</source>
        <translation>请将条形码放在框内</translation>
    </message>
</context>
<context>
    <name>CartModel</name>
    <message>
        <source>price from label</source>
        <translation>按标签价格</translation>
    </message>
    <message>
        <source>price changed by staff</source>
        <translation>店员已改价</translation>
    </message>
    <message>
        <source>You save %1</source>
        <translation>已省 %1</translation>
    </message>
    <message>
        <source>voided by staff</source>
        <translation>已由店员取消</translation>
    </message>
    <message>
        <source>removed</source>
        <translation>已移除</translation>
    </message>
</context>
<context>
    <name>CartView</name>
    <message>
        <source>Age check by staff</source>
        <translation>需店员核验年龄</translation>
    </message>
</context>
<context>
    <name>ConfirmPanel</name>
    <message>
        <source>◀ Cancel</source>
        <translation>◀ 返回</translation>
    </message>
</context>
<context>
    <name>DoneScreen</name>
    <message>
        <source>A member of staff will check your bag. Please wait here.</source>
        <translation>店员将检查您的购物袋，请在此稍候。</translation>
    </message>
    <message>
        <source>Your exit code stays here until you have it: staff are on their way.</source>
        <translation>离店码会一直留在屏幕上，直到您拿到为止：店员马上就到。</translation>
    </message>
    <message>
        <source>This screen closes in %1 s. Touch it for more time.</source>
        <translation>本页面将在 %1 秒后关闭。触摸屏幕可延长时间。</translation>
    </message>
    <message>
        <source>Thank you!</source>
        <translation>谢谢惠顾！</translation>
    </message>
    <message>
        <source>✓ Group-buy order %1 collected: 1 item</source>
        <translation>✓ 团购订单 %1 已提货：1 件</translation>
    </message>
    <message>
        <source>✓ Group-buy order %1 collected: %2 items</source>
        <translation>✓ 团购订单 %1 已提货：%2 件</translation>
    </message>
    <message>
        <source>Prepaid: nothing to pay today.</source>
        <translation>已预付：今天无需付款。</translation>
    </message>
    <message>
        <source>You paid %1.</source>
        <translation>您已支付 %1。</translation>
    </message>
    <message>
        <source>Sale %1 ⋅ %2</source>
        <translation>交易 %1 · %2</translation>
    </message>
    <message>
        <source>Would you like a receipt?</source>
        <translation>需要小票吗？</translation>
    </message>
    <message>
        <source>Print receipt</source>
        <translation>打印小票</translation>
    </message>
    <message>
        <source>✓ Done</source>
        <translation>✓ 完成</translation>
    </message>
    <message>
        <source>✓ I have my exit code</source>
        <translation>✓ 我已拿到离店码</translation>
    </message>
    <message>
        <source>✓ Done, no receipt</source>
        <translation>✓ 完成，不要小票</translation>
    </message>
    <message>
        <source>Your exit code: show it at the exit</source>
        <translation>您的离店码：请在出口出示</translation>
    </message>
    <message>
        <source>It is also printed on the receipt. Have a nice day!</source>
        <translation>小票上也印有此码。祝您愉快！</translation>
    </message>
    <message>
        <source>Take a photo of it or show it to staff before you go.</source>
        <translation>离开前请拍照保存，或出示给店员。</translation>
    </message>
    <message>
        <source>Scan with your phone: receipt and exit code</source>
        <translation>用手机扫码：电子小票和离店码</translation>
    </message>
    <message>
        <source>Show the exit code on your phone at the exit. Have a nice day!</source>
        <translation>请在出口出示手机上的离店码。祝您愉快！</translation>
    </message>
    <message>
        <source>Scan the code with your phone, take a photo or show it to staff before you go.</source>
        <translation>离开前请用手机扫码、拍照保存，或出示给店员。</translation>
    </message>
    <message>
        <source>Bag check</source>
        <translation>购物袋抽检</translation>
    </message>
    <message>
        <source>Your exit code appears here once staff have checked your bag.</source>
        <translation>店员检查完购物袋后，离店码会显示在这里。</translation>
    </message>
    <message>
        <source>Your exit code was not printed. Leave anyway?</source>
        <translation>您的离店码没有打印出来。仍要离开吗？</translation>
    </message>
    <message>
        <source>Leave anyway</source>
        <translation>仍然离开</translation>
    </message>
    <message>
        <source>◀ Back to my exit code</source>
        <translation>◀ 返回离店码</translation>
    </message>
</context>
<context>
    <name>Health</name>
    <message>
        <source>Camera</source>
        <translation>摄像头</translation>
    </message>
    <message>
        <source>not started</source>
        <translation>未启动</translation>
    </message>
    <message>
        <source>Camera frame rate</source>
        <translation>摄像头帧率</translation>
    </message>
    <message>
        <source>Decoded frames per second</source>
        <translation>每秒解码帧数</translation>
    </message>
    <message>
        <source>Decode time (median / 95th)</source>
        <translation>解码耗时（中位数 / 95%）</translation>
    </message>
    <message>
        <source>Dropped frames</source>
        <translation>丢帧数</translation>
    </message>
    <message>
        <source>Camera reconnects</source>
        <translation>摄像头重连次数</translation>
    </message>
    <message>
        <source>Scans</source>
        <translation>扫描次数</translation>
    </message>
    <message>
        <source>not used yet</source>
        <translation>尚未使用</translation>
    </message>
    <message>
        <source>ok</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>out of paper</source>
        <translation>缺纸</translation>
    </message>
    <message>
        <source>error</source>
        <translation>故障</translation>
    </message>
    <message>
        <source>not connected</source>
        <translation>未连接</translation>
    </message>
    <message>
        <source>Receipt printer</source>
        <translation>小票打印机</translation>
    </message>
    <message>
        <source>online</source>
        <translation>在线</translation>
    </message>
    <message>
        <source>degraded</source>
        <translation>不稳定</translation>
    </message>
    <message>
        <source>offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <source>not enrolled (stand-alone)</source>
        <translation>未注册（单机运行）</translation>
    </message>
    <message>
        <source>Central service</source>
        <translation>中央服务</translation>
    </message>
    <message>
        <source>Waiting to sync</source>
        <translation>待同步</translation>
    </message>
    <message>
        <source>Last sync</source>
        <translation>上次同步</translation>
    </message>
    <message>
        <source>never</source>
        <translation>从未</translation>
    </message>
    <message>
        <source>Updates refused</source>
        <translation>更新受阻</translation>
    </message>
    <message>
        <source>{count}: update this kiosk</source>
        <translation>{count} 项：请更新本机</translation>
    </message>
    <message>
        <source>Last sync error</source>
        <translation>上次同步错误</translation>
    </message>
</context>
<context>
    <name>HealthModel</name>
    <message>
        <source>Check</source>
        <translation>检查项</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
</context>
<context>
    <name>KeyInPanel</name>
    <message>
        <source>Nothing found by that name.</source>
        <translation>没有找到这个名称的商品。</translation>
    </message>
    <message>
        <source>Key in an item&apos;s code or a slip&apos;s 10-digit number, or search a name</source>
        <translation>手动录入：输入商品条码或挂单小票上的10位编号，或按名称查找</translation>
    </message>
    <message>
        <source>Add this code</source>
        <translation>添加此条码</translation>
    </message>
    <message>
        <source>Name (any language)</source>
        <translation>名称（任意语言）</translation>
    </message>
    <message>
        <source>Find</source>
        <translation>查找</translation>
    </message>
    <message>
        <source>◀ Cancel</source>
        <translation>◀ 返回</translation>
    </message>
</context>
<context>
    <name>Keypad</name>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清空</translation>
    </message>
</context>
<context>
    <name>LockedScreen</name>
    <message>
        <source>This checkout is closed</source>
        <translation>本收银台暂停服务</translation>
    </message>
    <message>
        <source>Please use another checkout. Thank you!</source>
        <translation>请使用其他收银台，谢谢！</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Self-checkout</source>
        <translation>自助收银</translation>
    </message>
    <message>
        <source>A+ Large text</source>
        <translation>A+ 大字体</translation>
    </message>
    <message>
        <source>◐ Contrast</source>
        <translation>◐ 高对比度</translation>
    </message>
    <message>
        <source>Spoken prompts</source>
        <translation>语音提示</translation>
    </message>
    <message>
        <source>%1 is on the way ⋅ Cancel</source>
        <translation>%1 正在赶来 · 取消</translation>
    </message>
    <message>
        <source>%1 is on the way</source>
        <translation>%1 正在赶来</translation>
    </message>
    <message>
        <source>Help is coming ⋅ Cancel</source>
        <translation>店员马上就到 · 取消</translation>
    </message>
    <message>
        <source>Help is coming</source>
        <translation>店员马上就到</translation>
    </message>
    <message>
        <source>Call for help</source>
        <translation>呼叫店员</translation>
    </message>
    <message>
        <source>Staff</source>
        <translation>店员</translation>
    </message>
</context>
<context>
    <name>MemberScreen</name>
    <message>
        <source>✓ Using %1 points: tap to keep them</source>
        <translation>✓ 已使用 %1 积分：点按可保留积分</translation>
    </message>
    <message>
        <source>Use %1 points on this purchase</source>
        <translation>本次购物使用 %1 积分</translation>
    </message>
    <message>
        <source>In your cart: %1</source>
        <translation>已加入本单：%1</translation>
    </message>
    <message>
        <source>Member prices</source>
        <translation>会员价</translation>
    </message>
    <message>
        <source>Have the app? Scan your member QR code</source>
        <translation>有App吗？扫描您的会员码</translation>
    </message>
    <message>
        <source>Open the store app, tap &quot;Member code&quot; and hold it up to the camera.</source>
        <translation>打开本店App，点击“会员码”，对准摄像头即可。</translation>
    </message>
    <message>
        <source>Or enter your phone number</source>
        <translation>或输入手机号码</translation>
    </message>
    <message>
        <source>Find my membership</source>
        <translation>查找我的会员</translation>
    </message>
    <message>
        <source>I agree to the member terms and to the store keeping my phone number.</source>
        <translation>我同意会员条款，并同意本店保存我的手机号码。</translation>
    </message>
    <message>
        <source>New? Sign up in one step with the phone number</source>
        <translation>新顾客？输入手机号一步注册</translation>
    </message>
    <message>
        <source>Sign up now (free)</source>
        <translation>立即注册（免费）</translation>
    </message>
    <message>
        <source>◀ Back to my items</source>
        <translation>◀ 返回我的商品</translation>
    </message>
    <message>
        <source>Member level</source>
        <translation>会员等级</translation>
    </message>
    <message>
        <source>Your points</source>
        <translation>您的积分</translation>
    </message>
    <message>
        <source>Your coupons</source>
        <translation>您的优惠券</translation>
    </message>
    <message>
        <source>Tap a coupon to use it on this purchase.</source>
        <translation>点击优惠券，即可用于本次购物。</translation>
    </message>
    <message>
        <source>No coupons in your wallet right now.</source>
        <translation>您的卡包里暂时没有优惠券。</translation>
    </message>
</context>
<context>
    <name>Offers</name>
    <message>
        <source>Scan your member code to use it</source>
        <translation>扫描会员码后即可使用</translation>
    </message>
    <message>
        <source>Nothing in your cart matches it yet</source>
        <translation>购物车中暂无适用商品</translation>
    </message>
    <message>
        <source>Not combined: a better coupon applies</source>
        <translation>不可叠加：已使用更优惠的券</translation>
    </message>
    <message>
        <source>%1 points</source>
        <translation>%1 积分</translation>
    </message>
    <message>
        <source>%1 more offers</source>
        <translation>另有 %1 项优惠</translation>
    </message>
    <message>
        <source>Coupon: %1</source>
        <translation>优惠券：%1</translation>
    </message>
    <message>
        <source>spend %1 more to use it</source>
        <translation>再消费 %1 即可使用</translation>
    </message>
    <message>
        <source>Spend %1 more and save %2: %3</source>
        <translation>再消费 %1，立省 %2：%3</translation>
    </message>
    <message>
        <source>Add %1 more and save %2: %3</source>
        <translation>再买%1件，立省 %2：%3</translation>
    </message>
    <message>
        <source>Points as last known here: purchases elsewhere may not show yet.</source>
        <translation>此处显示的是最近一次获取的积分，在其他门店的消费可能尚未计入。</translation>
    </message>
    <message>
        <source>Hello, member %1</source>
        <translation>您好，会员 %1</translation>
    </message>
</context>
<context>
    <name>OffersPanel</name>
    <message>
        <source>Take this coupon off</source>
        <translation>取消使用此优惠券</translation>
    </message>
</context>
<context>
    <name>PaymentScreen</name>
    <message>
        <source>Code valid for %1</source>
        <translation>收款码有效期 %1</translation>
    </message>
    <message>
        <source>Checking whether the payment came through…</source>
        <translation>正在确认付款是否成功…</translation>
    </message>
    <message>
        <source>Pay by scanning a QR code instead</source>
        <translation>改为扫描二维码付款</translation>
    </message>
    <message>
        <source>Enter %1 in your wallet</source>
        <translation>付款时请输入 %1</translation>
    </message>
    <message>
        <source>Scan the store&apos;s code with WeChat or Alipay and type in %1</source>
        <translation>用微信或支付宝扫描本店收款码，并输入 %1</translation>
    </message>
    <message>
        <source>The kiosk is offline, so this code has no amount in it. After paying, show your phone to a member of staff: they check that %1 went to this store just now, then confirm your payment.</source>
        <translation>自助机暂时离线，此收款码不含金额。付款后请向店员出示手机：店员会核对刚才向本店支付了 %1，然后确认您的付款。</translation>
    </message>
    <message>
        <source>Show your payment code</source>
        <translation>请出示付款码</translation>
    </message>
    <message>
        <source>Hold the payment code from WeChat or Alipay to the scanner</source>
        <translation>请将微信或支付宝付款码对准扫码口</translation>
    </message>
    <message>
        <source>In WeChat: Me › Pay and Services › Money. In Alipay: Pay/Receive.</source>
        <translation>微信：我 › 服务 › 收付款；支付宝：首页 › 收付款。</translation>
    </message>
    <message>
        <source>Confirm the payment on your phone</source>
        <translation>请在手机上确认付款</translation>
    </message>
    <message>
        <source>Charging your payment code…</source>
        <translation>正在扣款…</translation>
    </message>
    <message>
        <source>Enter your password or confirm in the app if it asks</source>
        <translation>如有提示，请在手机上输入密码或确认</translation>
    </message>
    <message>
        <source>One moment, please</source>
        <translation>请稍候</translation>
    </message>
    <message>
        <source>Nothing is charged twice. If it does not go through, you are not charged.</source>
        <translation>不会重复扣款。如果付款未成功，您不会被扣款。</translation>
    </message>
    <message>
        <source>Scan to pay</source>
        <translation>扫码付款</translation>
    </message>
    <message>
        <source>Preparing the QR code to scan…</source>
        <translation>正在生成收款码…</translation>
    </message>
    <message>
        <source>You can also show your WeChat or Alipay payment code.</source>
        <translation>您也可以出示微信或支付宝付款码。</translation>
    </message>
    <message>
        <source>Scan this code with your wallet app</source>
        <translation>请用支付App扫描此收款码</translation>
    </message>
    <message>
        <source>Payment is confirmed automatically. Please wait on this screen. You can also show your WeChat or Alipay payment code.</source>
        <translation>付款将自动确认，请在此页面稍候。您也可以出示微信或支付宝付款码。</translation>
    </message>
    <message>
        <source>Amount to pay</source>
        <translation>应付金额</translation>
    </message>
    <message>
        <source>✕ Cancel payment, back to my items</source>
        <translation>✕ 取消付款，返回商品</translation>
    </message>
</context>
<context>
    <name>Picker</name>
    <message>
        <source>Fruit &amp; vegetables</source>
        <translation>水果蔬菜</translation>
    </message>
    <message>
        <source>Bakery</source>
        <translation>面包烘焙</translation>
    </message>
    <message>
        <source>Meat</source>
        <translation>肉类</translation>
    </message>
    <message>
        <source>Fish &amp; seafood</source>
        <translation>水产海鲜</translation>
    </message>
    <message>
        <source>Deli</source>
        <translation>熟食</translation>
    </message>
    <message>
        <source>Bulk foods</source>
        <translation>散装食品</translation>
    </message>
    <message>
        <source>Latin letters</source>
        <translation>拼音字母</translation>
    </message>
    <message>
        <source>Korean initial consonants</source>
        <translation>韩文首辅音</translation>
    </message>
</context>
<context>
    <name>PickerScreen</name>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Name, pinyin or PLU…</source>
        <translation>名称、拼音首字母或 PLU 码…</translation>
    </message>
    <message>
        <source>Look up an item without a barcode</source>
        <translation>查找没有条码的商品</translation>
    </message>
    <message>
        <source>◀ Back to my items</source>
        <translation>◀ 返回我的商品</translation>
    </message>
    <message>
        <source>One fewer</source>
        <translation>减一件</translation>
    </message>
    <message>
        <source>One more</source>
        <translation>加一件</translation>
    </message>
    <message>
        <source>Add to my items</source>
        <translation>加入我的商品</translation>
    </message>
    <message>
        <source>Nothing found. Try fewer letters, or ask a member of staff.</source>
        <translation>没有找到。请少输入几个字母，或请店员帮忙。</translation>
    </message>
</context>
<context>
    <name>PickupRow</name>
    <message>
        <source>One fewer</source>
        <translation>减少一件</translation>
    </message>
    <message>
        <source>One more</source>
        <translation>增加一件</translation>
    </message>
    <message>
        <source>%1 in your order</source>
        <translation>订单共 %1 件</translation>
    </message>
    <message>
        <source>%1 of %2 still to collect</source>
        <translation>还有 %1 件待提（共 %2 件）</translation>
    </message>
</context>
<context>
    <name>PickupScreen</name>
    <message>
        <source>Collected now: %1</source>
        <translation>本次提货：%1 件</translation>
    </message>
    <message>
        <source>◀ Back</source>
        <translation>◀ 返回</translation>
    </message>
    <message>
        <source>Take everything</source>
        <translation>全部提走</translation>
    </message>
    <message>
        <source>Continue shopping</source>
        <translation>继续购物</translation>
    </message>
    <message>
        <source>Group-buy pickup</source>
        <translation>团购提货</translation>
    </message>
    <message>
        <source>Order %1</source>
        <translation>订单 %1</translation>
    </message>
    <message>
        <source>! This order cannot be collected here</source>
        <translation>! 此订单无法在这里提货</translation>
    </message>
    <message>
        <source>Your group-buy order</source>
        <translation>您的团购订单</translation>
    </message>
    <message>
        <source>Choose what to take now and tap Collect: staff will bring it to you.</source>
        <translation>选择本次要提的商品，然后点“提货”：店员会给您送来。</translation>
    </message>
    <message>
        <source>Choose what to take now and tap Collect. Your bag is on the pickup shelf, labelled %1.</source>
        <translation>选择本次要提的商品，然后点“提货”。您的商品在提货架上，标签号 %1。</translation>
    </message>
    <message>
        <source>Collect %1 items ✓</source>
        <translation>提货 %1 件 ✓</translation>
    </message>
    <message>
        <source>Collect 1 item ✓</source>
        <translation>提货 1 件 ✓</translation>
    </message>
    <message>
        <source>Choose items to collect</source>
        <translation>请选择要提的商品</translation>
    </message>
    <message>
        <source>✓ Collected</source>
        <translation>✓ 已提货</translation>
    </message>
    <message>
        <source>Staff are bringing your item. Please wait here.</source>
        <translation>店员正在为您送来 1 件商品，请在此稍候。</translation>
    </message>
    <message>
        <source>Staff are bringing your %1 items. Please wait here.</source>
        <translation>店员正在为您送来 %1 件商品，请在此稍候。</translation>
    </message>
    <message>
        <source>Take your item from the pickup shelf: the bag labelled %2.</source>
        <translation>请到提货架取走 1 件商品：标签号 %2。</translation>
    </message>
    <message>
        <source>Take your %1 items from the pickup shelf: the bag labelled %2.</source>
        <translation>请到提货架取走 %1 件商品：标签号 %2。</translation>
    </message>
    <message>
        <source>1 item stays for later: scan the same code again to collect it.</source>
        <translation>还有 1 件留待下次：再次扫描同一提货码即可提取。</translation>
    </message>
    <message>
        <source>%1 items stay for later: scan the same code again to collect them.</source>
        <translation>还有 %1 件留待下次：再次扫描同一提货码即可提取。</translation>
    </message>
    <message>
        <source>Pay for my items</source>
        <translation>为其他商品付款</translation>
    </message>
    <message>
        <source>Done: show my exit pass</source>
        <translation>完成：显示离店码</translation>
    </message>
</context>
<context>
    <name>PricePanel</name>
    <message>
        <source>◀ Cancel</source>
        <translation>◀ 返回</translation>
    </message>
    <message>
        <source>New price for line %1: %2</source>
        <translation>第 %1 行的新价格：%2</translation>
    </message>
    <message>
        <source>Shelf price %1. Allowed: %2 to %3 per unit.</source>
        <translation>货架价 %1。允许范围：每件 %2 至 %3。</translation>
    </message>
    <message>
        <source>Set price %1</source>
        <translation>改价为 %1</translation>
    </message>
    <message>
        <source>Type the new price</source>
        <translation>请输入新价格</translation>
    </message>
</context>
<context>
    <name>Prompt</name>
    <message>
        <source>Welcome. Hold each item&apos;s barcode up to the camera. When you are done, tap Pay now, at the bottom right.</source>
        <translation>欢迎光临。请把商品条码对准摄像头，扫完后点右下角的立即付款。</translation>
    </message>
    <message>
        <source>Item added.</source>
        <translation>商品已添加。</translation>
    </message>
    <message>
        <source>To pay, scan the QR code on the screen with your phone, or show your payment code to the camera.</source>
        <translation>请用手机扫描屏幕上的收款码付款，或向摄像头出示付款码。</translation>
    </message>
    <message>
        <source>Do you need a bag? Tap no, one or two, at the bottom right.</source>
        <translation>需要购物袋吗？请在右下角选择。</translation>
    </message>
    <message>
        <source>Thank you, you have paid. Please take your receipt or your exit code.</source>
        <translation>谢谢，付款成功。请取走小票或离店码。</translation>
    </message>
    <message>
        <source>Help is on the way. A member of staff is coming to you.</source>
        <translation>店员马上就到，请稍候。</translation>
    </message>
</context>
<context>
    <name>Reason</name>
    <message>
        <source>This is not a product barcode. Please scan the barcode on the product.</source>
        <translation>这不是商品条形码，请扫描商品上的条形码。</translation>
    </message>
    <message>
        <source>The barcode could not be read correctly. Please scan it again.</source>
        <translation>条形码未能正确读取，请重新扫描。</translation>
    </message>
    <message>
        <source>This item is sold by weight. Please have it weighed at the weighing counter and scan the label, or ask a member of staff.</source>
        <translation>此商品按重量销售，请到称重台称重后扫描标签，或请店员帮忙。</translation>
    </message>
    <message>
        <source>This item is sold by the piece, not by weight. Please scan its barcode.</source>
        <translation>此商品按件销售，不按重量。请扫描商品条码。</translation>
    </message>
    <message>
        <source>The scale is not working right now. Please have the item weighed at the weighing counter, or ask a member of staff.</source>
        <translation>秤暂时无法使用。请到称重台称重，或请店员帮忙。</translation>
    </message>
    <message>
        <source>The weight is still changing. Please keep the item still on the scale.</source>
        <translation>重量仍在变化，请让商品在秤上保持不动。</translation>
    </message>
    <message>
        <source>This exact item is already in your cart.</source>
        <translation>这件商品已在购物车中。</translation>
    </message>
    <message>
        <source>You have reached the most of this item one sale can hold.</source>
        <translation>此商品已达到单笔交易的购买上限。</translation>
    </message>
    <message>
        <source>Weighed or labelled items are one line per label: scan each label.</source>
        <translation>称重或贴价商品每个标签一行，请逐个扫描标签。</translation>
    </message>
    <message>
        <source>A member of staff needs to take items off. Help is on the way.</source>
        <translation>删除商品需由店员操作，店员马上就到。</translation>
    </message>
    <message>
        <source>That item is no longer in the cart.</source>
        <translation>该商品已不在购物车中。</translation>
    </message>
    <message>
        <source>This sale was cancelled.</source>
        <translation>此笔交易已取消。</translation>
    </message>
    <message>
        <source>You are paying now. Cancel the payment to change your items.</source>
        <translation>正在付款。如需修改商品，请先取消付款。</translation>
    </message>
    <message>
        <source>Please choose a reason.</source>
        <translation>请选择原因。</translation>
    </message>
    <message>
        <source>Nothing in the cart needs an age check.</source>
        <translation>购物车中没有需要核验年龄的商品。</translation>
    </message>
    <message>
        <source>Your cart is empty. Scan an item first.</source>
        <translation>购物车是空的，请先扫描商品。</translation>
    </message>
    <message>
        <source>A member of staff must check your age first. Help is on the way.</source>
        <translation>需先由店员核验年龄，店员马上就到。</translation>
    </message>
    <message>
        <source>Your role does not allow this. Please ask a supervisor.</source>
        <translation>您的权限不允许此操作，请联系主管。</translation>
    </message>
    <message>
        <source>This staff badge is not known at this store.</source>
        <translation>本店无法识别此员工卡。</translation>
    </message>
    <message>
        <source>Wrong staff number or PIN.</source>
        <translation>工号或密码错误。</translation>
    </message>
    <message>
        <source>Too many wrong PINs. Please wait before trying again.</source>
        <translation>密码错误次数过多，请稍后再试。</translation>
    </message>
    <message>
        <source>PIN entry is locked. Please sign in with a staff badge.</source>
        <translation>密码输入已锁定，请刷员工卡登录。</translation>
    </message>
    <message>
        <source>No payment is in progress for this cart.</source>
        <translation>此购物车没有进行中的付款。</translation>
    </message>
    <message>
        <source>The payment does not match the total. Please ask a member of staff.</source>
        <translation>付款金额与总额不符，请联系店员。</translation>
    </message>
    <message>
        <source>Payment is not available right now. Your items are kept: try again, or a member of staff can take your payment.</source>
        <translation>暂时无法付款。商品已为您保留：请重试，或由店员协助付款。</translation>
    </message>
    <message>
        <source>The payment service cannot be reached. Your items are kept: try again, or a member of staff can take your payment.</source>
        <translation>无法连接付款服务。商品已为您保留：请重试，或由店员协助付款。</translation>
    </message>
    <message>
        <source>The kiosk is offline. Pay with the store&apos;s code on screen; a member of staff is coming to confirm your payment.</source>
        <translation>自助机暂时离线。请扫描屏幕上的收款码付款，店员马上过来为您确认。</translation>
    </message>
    <message>
        <source>The payment code expired. Your items are kept: tap Pay to try again.</source>
        <translation>收款码已过期。商品已为您保留：请点击“付款”重试。</translation>
    </message>
    <message>
        <source>The payment did not reach the payment service, so nothing was charged. Your items are kept: pay again.</source>
        <translation>付款未送达支付服务，因此没有扣款。您的商品已保留：请重新付款。</translation>
    </message>
    <message>
        <source>That is a payment code. Scan your items first, then show it to pay.</source>
        <translation>这是付款码。请先扫描商品，再出示付款码付款。</translation>
    </message>
    <message>
        <source>Your payment is already being charged. Please wait for it to finish.</source>
        <translation>正在扣款，请等待完成。</translation>
    </message>
    <message>
        <source>Please confirm the payment on your phone.</source>
        <translation>请在手机上确认付款。</translation>
    </message>
    <message>
        <source>Your payment code has expired. You were not charged: refresh the code in your wallet and show it again.</source>
        <translation>付款码已过期，您未被扣款：请在钱包中刷新付款码后重新出示。</translation>
    </message>
    <message>
        <source>That payment code was not accepted. You were not charged: open a fresh code in your wallet and show it again.</source>
        <translation>该付款码无法使用，您未被扣款：请刷新付款码后重新出示。</translation>
    </message>
    <message>
        <source>Not enough money on that payment method. You were not charged: choose another card in your wallet and show the code again, or pay by QR.</source>
        <translation>该支付方式余额不足，您未被扣款：请在钱包中更换付款方式后重新出示付款码，或扫码付款。</translation>
    </message>
    <message>
        <source>The payment was cancelled on your phone. You were not charged: show the code again to pay.</source>
        <translation>您已在手机上取消付款，未被扣款：如需付款请重新出示付款码。</translation>
    </message>
    <message>
        <source>The payment was not confirmed in time and has been cancelled: you were not charged. Show your code again to pay.</source>
        <translation>付款未及时确认，已撤销，您未被扣款。如需付款请重新出示付款码。</translation>
    </message>
    <message>
        <source>The payment was declined. You were not charged: try another way to pay, or a member of staff is coming to help.</source>
        <translation>付款被拒绝，您未被扣款：请换一种方式付款，店员马上来协助您。</translation>
    </message>
    <message>
        <source>We could not find this membership. You can sign up in one step.</source>
        <translation>未找到会员信息，您可以一步完成注册。</translation>
    </message>
    <message>
        <source>This membership was closed at the member&apos;s request. You can shop without it, or sign up again with your phone.</source>
        <translation>应会员本人要求，此会员资格已注销。您可以不使用会员继续购物，或用手机号重新注册。</translation>
    </message>
    <message>
        <source>Please enter a phone number of 7 to 15 digits.</source>
        <translation>请输入7至15位手机号码。</translation>
    </message>
    <message>
        <source>Please tick the box to agree to the member terms first.</source>
        <translation>请先勾选同意会员条款。</translation>
    </message>
    <message>
        <source>Membership card recognised: member prices now apply.</source>
        <translation>已识别会员码：现已享受会员价。</translation>
    </message>
    <message>
        <source>The printer is not working. Your exit code stays on the screen: show it at the exit.</source>
        <translation>打印机故障。离店码会留在屏幕上：请在出口出示。</translation>
    </message>
    <message>
        <source>The printer is not connected. Your exit code stays on the screen: show it at the exit.</source>
        <translation>打印机未连接。离店码会留在屏幕上：请在出口出示。</translation>
    </message>
    <message>
        <source>The printer stopped while printing. Please ask a member of staff.</source>
        <translation>打印机在打印时停止，请联系店员。</translation>
    </message>
    <message>
        <source>The printer is out of paper. A member of staff has been told.</source>
        <translation>打印机缺纸，已通知店员。</translation>
    </message>
    <message>
        <source>The last shopper&apos;s exit code is still on the screen. Staff are on their way: please wait a moment.</source>
        <translation>上一位顾客的离店码仍在屏幕上。店员马上就到，请稍候。</translation>
    </message>
    <message>
        <source>A member of staff will check your bag: please wait here. Your exit code appears once they have.</source>
        <translation>店员将检查您的购物袋，请在此稍候。检查完后会显示离店码。</translation>
    </message>
    <message>
        <source>This price label cannot be read. Please ask a member of staff.</source>
        <translation>无法读取此价格标签，请联系店员。</translation>
    </message>
    <message>
        <source>This payment has already ended. Please tap Pay again.</source>
        <translation>此笔付款已结束，请重新点击“付款”。</translation>
    </message>
    <message>
        <source>This item cannot be sold here. Please ask a member of staff.</source>
        <translation>此商品无法在此销售，请联系店员。</translation>
    </message>
    <message>
        <source>That is not allowed here. Please ask a member of staff.</source>
        <translation>无法进行此操作，请联系店员。</translation>
    </message>
    <message>
        <source>That cannot be done with this cart. Please ask a member of staff.</source>
        <translation>当前购物车无法进行此操作，请联系店员。</translation>
    </message>
    <message>
        <source>A PIN is at least 4 digits.</source>
        <translation>密码至少4位数字。</translation>
    </message>
    <message>
        <source>There is nothing to pay.</source>
        <translation>没有需要支付的金额。</translation>
    </message>
    <message>
        <source>The camera is not working. Your items are kept: use the hand scanner or ask staff.</source>
        <translation>摄像头故障。商品已为您保留：请使用手持扫描枪或联系店员。</translation>
    </message>
    <message>
        <source>Staff mode opened. The shopper&apos;s payment stays open.</source>
        <translation>已进入店员模式，顾客的付款仍然有效。</translation>
    </message>
    <message>
        <source>This checkout is closed. Please use another checkout.</source>
        <translation>本收银台暂停服务，请使用其他收银台。</translation>
    </message>
    <message>
        <source>This item needs an age check. A member of staff is on the way.</source>
        <translation>此商品需要核验年龄，店员马上就到。</translation>
    </message>
    <message>
        <source>A member of staff has been called and will be with you shortly.</source>
        <translation>已呼叫店员，请稍候。</translation>
    </message>
    <message>
        <source>A member of staff is coming to check the price of %1.</source>
        <translation>店员马上过来核对 %1 的价格。</translation>
    </message>
    <message>
        <source>Looking up your membership…</source>
        <translation>正在查询您的会员信息…</translation>
    </message>
    <message>
        <source>Welcome back! Member prices now apply.</source>
        <translation>欢迎回来！现已享受会员价。</translation>
    </message>
    <message>
        <source>Welcome! You are now a member and member prices apply.</source>
        <translation>欢迎！您已成为会员，现享会员价。</translation>
    </message>
    <message>
        <source>Your receipt is printing. Please take it.</source>
        <translation>正在打印小票，请取走。</translation>
    </message>
    <message>
        <source>Exit code valid: this sale was paid. Let the shopper through.</source>
        <translation>离店码有效：此笔交易已付款，请放行。</translation>
    </message>
    <message>
        <source>Exit code valid. This sale was picked for a bag check.</source>
        <translation>离店码有效。此笔交易被抽中查验购物袋。</translation>
    </message>
    <message>
        <source>Exit code NOT valid: its signature does not match. Check the receipt.</source>
        <translation>离店码无效：签名不符，请核对小票。</translation>
    </message>
    <message>
        <source>Exit code too old: check the receipt and the items.</source>
        <translation>离店码已过时：请核对小票和商品。</translation>
    </message>
    <message>
        <source>Exit code already used once: check the receipt and the items.</source>
        <translation>离店码已被使用过：请核对小票和商品。</translation>
    </message>
    <message>
        <source>Exit code from a kiosk this one does not know: check the receipt.</source>
        <translation>离店码来自未知的自助机：请核对小票。</translation>
    </message>
    <message>
        <source>Exit code from a training sale: nothing was paid.</source>
        <translation>此离店码来自培训交易：未实际付款。</translation>
    </message>
    <message>
        <source>Cart suspended. Hand over the code: it resumes the cart at any kiosk.</source>
        <translation>已挂单。请把码交给顾客：在任一自助机扫码即可继续结账。</translation>
    </message>
    <message>
        <source>Your cart from kiosk %1 is back. Carry on scanning or pay.</source>
        <translation>您在自助机 %1 的购物车已恢复。请继续扫码或付款。</translation>
    </message>
    <message>
        <source>This kiosk has a cart of its own: pay or void it first, then scan the code.</source>
        <translation>本机已有购物车：请先付款或作废，再扫描此码。</translation>
    </message>
    <message>
        <source>This transfer code cannot be read. Please ask a member of staff.</source>
        <translation>无法识别此挂单码。请联系店员。</translation>
    </message>
    <message>
        <source>This transfer code is NOT valid: its signature does not match.</source>
        <translation>此挂单码无效：签名不符。</translation>
    </message>
    <message>
        <source>This transfer code has expired. Please scan the items again.</source>
        <translation>此挂单码已过期。请重新扫描商品。</translation>
    </message>
    <message>
        <source>This transfer code was already used at kiosk %1 at %2.</source>
        <translation>此挂单码已于 %2 在自助机 %1 使用过。</translation>
    </message>
    <message>
        <source>This transfer code is from another store.</source>
        <translation>此挂单码来自其他门店。</translation>
    </message>
    <message>
        <source>No suspended cart of this store has the number %1. Check the slip.</source>
        <translation>本店没有编号为 %1 的挂单。请核对挂单小票。</translation>
    </message>
    <message>
        <source>The number cannot be looked up while the kiosk is offline: scan the QR code on the slip.</source>
        <translation>自助机离线时无法按编号查询：请扫描小票上的二维码。</translation>
    </message>
    <message>
        <source>This transfer code is from a kiosk this one does not know yet. Ask staff.</source>
        <translation>此挂单码来自本机尚不认识的自助机。请联系店员。</translation>
    </message>
    <message>
        <source>The price of %1 changed from %2 to %3: the current price applies.</source>
        <translation>%1 的价格已从 %2 变为 %3：按现价结算。</translation>
    </message>
    <message>
        <source>%1 was not added back: it can no longer be sold. Please hand it to staff.</source>
        <translation>%1 未恢复：该商品已不能销售。请交给店员。</translation>
    </message>
    <message>
        <source>Coupon %1 no longer applies and was not added back.</source>
        <translation>优惠券 %1 已不适用，未恢复。</translation>
    </message>
    <message>
        <source>Your membership could not be restored here: scan your member code again.</source>
        <translation>无法在本机恢复会员身份：请重新扫描会员码。</translation>
    </message>
    <message>
        <source>Group-buy order %1 collected. Items: %2. Scan anything else you would like to buy.</source>
        <translation>团购订单 %1 已提货：%2 件。如需购买其他商品，请继续扫码。</translation>
    </message>
    <message>
        <source>This group-buy order was already collected. Staff are on their way.</source>
        <translation>此团购订单已被提走。店员马上就到。</translation>
    </message>
    <message>
        <source>This group-buy order is not ready here yet. Staff are on their way.</source>
        <translation>此团购订单在本店尚未备好。店员马上就到。</translation>
    </message>
    <message>
        <source>This pickup code cannot be used here. Staff are on their way.</source>
        <translation>此提货码无法在这里使用。店员马上就到。</translation>
    </message>
    <message>
        <source>Exit code has an impossible time: check the receipt.</source>
        <translation>离店码时间异常：请核对小票。</translation>
    </message>
    <message>
        <source>This exit code cannot be read. Ask the shopper for the receipt.</source>
        <translation>无法读取此离店码，请向顾客索要小票。</translation>
    </message>
    <message>
        <source>We don&apos;t know this product. Please put it aside: a member of staff is coming.</source>
        <translation>未找到这件商品。请将其放在一旁，店员马上就到。</translation>
    </message>
    <message>
        <source>This product has been recalled and cannot be sold. A member of staff is coming for it.</source>
        <translation>此商品已被召回，不能销售。店员马上过来收回。</translation>
    </message>
    <message>
        <source>Coupon accepted: the saving is taken off your total.</source>
        <translation>优惠券已使用，优惠金额已从总额中扣除。</translation>
    </message>
    <message>
        <source>Coupon taken off. You can scan it again later.</source>
        <translation>已取消使用优惠券，稍后可再次扫描使用。</translation>
    </message>
    <message>
        <source>No payment is open: the shopper taps Pay first.</source>
        <translation>没有进行中的付款：请顾客先点击“付款”。</translation>
    </message>
    <message>
        <source>This coupon is not valid at this store. Please keep it.</source>
        <translation>此优惠券不适用于本店，请妥善保存。</translation>
    </message>
    <message>
        <source>This coupon code is not genuine. Please ask a member of staff.</source>
        <translation>此优惠券码无效，请联系店员。</translation>
    </message>
    <message>
        <source>This coupon has expired and cannot be used.</source>
        <translation>此优惠券已过期，无法使用。</translation>
    </message>
    <message>
        <source>This coupon is not valid yet. Please keep it for later.</source>
        <translation>此优惠券尚未到使用时间，请保留以后使用。</translation>
    </message>
    <message>
        <source>This coupon is for members. Scan your member code and it applies.</source>
        <translation>此优惠券仅限会员使用，扫描会员码后即可生效。</translation>
    </message>
    <message>
        <source>This coupon belongs to another member.</source>
        <translation>此优惠券属于其他会员。</translation>
    </message>
    <message>
        <source>This coupon is only for members of a higher level.</source>
        <translation>此优惠券仅限更高等级的会员使用。</translation>
    </message>
    <message>
        <source>This coupon has already been used.</source>
        <translation>此优惠券已被使用。</translation>
    </message>
    <message>
        <source>You have already used this coupon as often as it allows.</source>
        <translation>您已达到此优惠券的使用次数上限。</translation>
    </message>
    <message>
        <source>This coupon needs the store&apos;s system, which cannot be reached now. Please keep it.</source>
        <translation>此优惠券需连接门店系统，目前无法连接，请妥善保存。</translation>
    </message>
    <message>
        <source>This coupon is for another currency and cannot be used here.</source>
        <translation>此优惠券的币种不同，无法在此使用。</translation>
    </message>
    <message>
        <source>Nothing in your cart matches this coupon (brand or product). It stays ready and applies when you add a matching item.</source>
        <translation>购物车中没有适用此优惠券的商品（品牌或商品不符）。优惠券已为您保留，加入适用商品后自动生效。</translation>
    </message>
    <message>
        <source>Minimum spend not reached yet. The coupon stays ready and applies once you reach it.</source>
        <translation>尚未达到最低消费金额。优惠券已为您保留，达到后自动生效。</translation>
    </message>
    <message>
        <source>Only one coupon of this kind per purchase: the one that saves most applies.</source>
        <translation>此类优惠券每单限用一张，已自动选用最优惠的一张。</translation>
    </message>
    <message>
        <source>This is not one of our exit codes.</source>
        <translation>这不是本店的离店码。</translation>
    </message>
    <message>
        <source>This product is not for sale here. A member of staff is coming for it.</source>
        <translation>此商品在本店不可销售。店员马上过来收回。</translation>
    </message>
    <message>
        <source>This item is past its date and cannot be sold. A member of staff is coming.</source>
        <translation>此商品已过期，不能销售。店员马上就到。</translation>
    </message>
    <message>
        <source>This pickup code has expired. Staff are on their way.</source>
        <translation>此提货码已过期。店员马上就到。</translation>
    </message>
    <message>
        <source>This order is to be collected at another store. Staff are on their way.</source>
        <translation>此订单需在其他门店提货。店员马上就到。</translation>
    </message>
    <message>
        <source>This sale cannot be refunded here: it was not paid, or it is a training sale.</source>
        <translation>此笔交易无法在此退款：未付款或为培训交易。</translation>
    </message>
    <message>
        <source>That is more than is left to refund on this sale.</source>
        <translation>超出了此笔交易可退的金额。</translation>
    </message>
    <message>
        <source>No sale of this kiosk found: scan the receipt&apos;s exit code or e-receipt QR.</source>
        <translation>未找到本机的这笔交易：请扫描小票上的离店码或电子小票二维码。</translation>
    </message>
    <message>
        <source>Refunded to the original payment. The refund receipt is printing.</source>
        <translation>已原路退款，正在打印退款单。</translation>
    </message>
    <message>
        <source>Refund recorded: the money goes back as soon as the kiosk is online.</source>
        <translation>退款已记录：自助机恢复联网后即退回款项。</translation>
    </message>
    <message>
        <source>There is no receipt to reprint yet.</source>
        <translation>暂无可重打的小票。</translation>
    </message>
    <message>
        <source>Select a line first.</source>
        <translation>请先选择一行商品。</translation>
    </message>
    <message>
        <source>Your call for help is cancelled.</source>
        <translation>已取消呼叫店员。</translation>
    </message>
    <message>
        <source>A wallet payment is still open. Please wait for its answer: if it was paid, the sale completes; if not, the items come back.</source>
        <translation>还有一笔钱包付款尚未结束。请等待结果：如已付款，本次交易完成；如未付款，商品会回到购物车。</translation>
    </message>
    <message>
        <source>This needs a supervisor.</source>
        <translation>此操作需要主管权限。</translation>
    </message>
    <message>
        <source>This needs a manager.</source>
        <translation>此操作需要经理权限。</translation>
    </message>
    <message>
        <source>That price is outside what the store allows for this item.</source>
        <translation>该价格超出了本店对此商品允许的范围。</translation>
    </message>
    <message>
        <source>Price changed by staff.</source>
        <translation>店员已修改价格。</translation>
    </message>
    <message>
        <source>Item added by staff.</source>
        <translation>店员已添加商品。</translation>
    </message>
    <message>
        <source>This call has already been dealt with.</source>
        <translation>此呼叫已处理。</translation>
    </message>
    <message>
        <source>Another member of staff is already on the way.</source>
        <translation>已有其他店员正在赶来。</translation>
    </message>
    <message>
        <source>Only staff can close this call.</source>
        <translation>此呼叫只能由店员关闭。</translation>
    </message>
    <message>
        <source>This call is not known at this kiosk.</source>
        <translation>本机没有此呼叫。</translation>
    </message>
    <message>
        <source>The last receipt was reprinted.</source>
        <translation>已重打上一张小票。</translation>
    </message>
    <message>
        <source>Your membership could not be used. Please ask a member of staff.</source>
        <translation>无法使用您的会员身份，请联系店员。</translation>
    </message>
    <message>
        <source>This member code cannot be read. Please show the code in your app again.</source>
        <translation>无法读取此会员码，请重新出示App中的会员码。</translation>
    </message>
    <message>
        <source>Your member code has expired. Please refresh it in the app.</source>
        <translation>会员码已过期，请在App中刷新。</translation>
    </message>
    <message>
        <source>Please scan your member code first to use this.</source>
        <translation>请先扫描会员码再使用此功能。</translation>
    </message>
    <message>
        <source>This coupon is not valid here. Please keep it.</source>
        <translation>此优惠券在此无效，请保留。</translation>
    </message>
    <message>
        <source>This coupon is not genuine. Please ask a member of staff.</source>
        <translation>此优惠券无效，请联系店员。</translation>
    </message>
    <message>
        <source>This coupon is already in your cart.</source>
        <translation>此优惠券已在购物车中。</translation>
    </message>
    <message>
        <source>Your points cannot be used right now.</source>
        <translation>暂时无法使用积分。</translation>
    </message>
    <message>
        <source>That is more points than you can spend on this purchase.</source>
        <translation>超出本次可使用的积分上限。</translation>
    </message>
    <message>
        <source>The store&apos;s system cannot be reached right now. You can still pay.</source>
        <translation>暂时无法连接门店系统，您仍可付款。</translation>
    </message>
    <message>
        <source>The payment did not go through. Your items are kept: please try again.</source>
        <translation>付款未成功。商品已为您保留：请重试。</translation>
    </message>
    <message>
        <source>This coupon cannot be used for this purchase. Please keep it.</source>
        <translation>此优惠券不适用于本次购买，请保留。</translation>
    </message>
    <message>
        <source>Member benefits are not available right now. You can still pay.</source>
        <translation>会员权益暂时无法使用，您仍可付款。</translation>
    </message>
    <message>
        <source>The checkout could not save that. Please try again or ask a member of staff.</source>
        <translation>收银机未能保存，请重试或联系店员。</translation>
    </message>
    <message>
        <source>We don&apos;t know the product with barcode %1. Please put it aside: a member of staff is coming.</source>
        <translation>未找到条码为 %1 的商品。请将其放在一旁，店员马上就到。</translation>
    </message>
    <message>
        <source>%1 has been recalled and cannot be sold. Please put it aside: a member of staff is coming for it.</source>
        <translation>%1 已被召回，不能销售。请将其放在一旁：店员马上过来收回。</translation>
    </message>
    <message>
        <source>%1 is not for sale here. Please put it aside: a member of staff is coming for it.</source>
        <translation>%1 在本店不可销售。请将其放在一旁：店员马上过来收回。</translation>
    </message>
    <message>
        <source>%1 is past its date and cannot be sold. Please put it aside: a member of staff is coming.</source>
        <translation>%1 已过期，不能销售。请将其放在一旁：店员马上就到。</translation>
    </message>
    <message>
        <source>Something went wrong. Please ask a member of staff.</source>
        <translation>出现问题，请联系店员。</translation>
    </message>
</context>
<context>
    <name>RefundPanel</name>
    <message>
        <source>cash</source>
        <translation>现金</translation>
    </message>
    <message>
        <source>WeChat Pay</source>
        <translation>微信支付</translation>
    </message>
    <message>
        <source>Alipay</source>
        <translation>支付宝</translation>
    </message>
    <message>
        <source>the original payment</source>
        <translation>原支付账户</translation>
    </message>
    <message>
        <source>Returned</source>
        <translation>退货</translation>
    </message>
    <message>
        <source>Damaged</source>
        <translation>商品损坏</translation>
    </message>
    <message>
        <source>Charged twice</source>
        <translation>重复扣款</translation>
    </message>
    <message>
        <source>Whole sale</source>
        <translation>整单退款</translation>
    </message>
    <message>
        <source>◀ Close</source>
        <translation>◀ 关闭</translation>
    </message>
    <message>
        <source>Refund</source>
        <translation>退款</translation>
    </message>
    <message>
        <source>Scan the receipt&apos;s exit code or the e-receipt QR of the sale.</source>
        <translation>请扫描这笔交易小票上的离店码或电子小票二维码。</translation>
    </message>
    <message>
        <source>Refund of sale #%1 (paid %2)</source>
        <translation>交易 #%1 退款（实付 %2）</translation>
    </message>
    <message>
        <source>Refunded %1 to %2.</source>
        <translation>已退款 %1 至%2。</translation>
    </message>
    <message>
        <source>%1 recorded: it goes back to %2 when the kiosk is online.</source>
        <translation>%1 已记录：自助机联网后退回%2。</translation>
    </message>
    <message>
        <source>Pick the units coming back, and a reason.</source>
        <translation>请选择退回的件数和原因。</translation>
    </message>
    <message>
        <source>The shopper&apos;s refund receipt: they scan it with their phone.</source>
        <translation>顾客的退款电子小票：请顾客用手机扫码。</translation>
    </message>
    <message>
        <source>Refund %1</source>
        <translation>退款 %1</translation>
    </message>
</context>
<context>
    <name>ScanningScreen</name>
    <message>
        <source>Items: %1</source>
        <translation>商品件数：%1</translation>
    </message>
    <message>
        <source>%1 items, %2 products</source>
        <translation>共 %1 件，%2 种商品</translation>
    </message>
    <message>
        <source>You save %1</source>
        <translation>已省 %1</translation>
    </message>
    <message>
        <source>Your items</source>
        <translation>您的商品</translation>
    </message>
    <message>
        <source>Your items will appear here as you scan them.</source>
        <translation>扫描后的商品会显示在这里。</translation>
    </message>
    <message>
        <source>Scan each item once. Scan again, or tap +, for more of the same. A price looks wrong? Tap the item.</source>
        <translation>每件商品扫描一次。相同商品可再次扫描或点击 +。价格不对？点一下该商品。</translation>
    </message>
    <message>
        <source>★ Member? Add your membership</source>
        <translation>★ 会员？添加会员身份</translation>
    </message>
    <message>
        <source>Is the price of %1 wrong?</source>
        <translation>%1 的价格不对吗？</translation>
    </message>
    <message>
        <source>It costs %1 here. A member of staff will come and check it against the shelf.</source>
        <translation>这里显示的价格是 %1。店员会过来按货架价签核对。</translation>
    </message>
    <message>
        <source>Call staff to check the price</source>
        <translation>请店员核对价格</translation>
    </message>
    <message>
        <source>◀ Back to my items</source>
        <translation>◀ 返回我的商品</translation>
    </message>
    <message>
        <source>★ Member %1</source>
        <translation>★ 会员 %1</translation>
    </message>
    <message>
        <source>No barcode? Look up item ▶</source>
        <translation>没有条码？查找商品 ▶</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <source>Pay now ▶</source>
        <translation>立即付款 ▶</translation>
    </message>
</context>
<context>
    <name>Separator</name>
    <message>
        <source> ⋅ </source>
        <translation> · </translation>
    </message>
</context>
<context>
    <name>Staff</name>
    <message>
        <source>associate</source>
        <translation>店员</translation>
    </message>
    <message>
        <source>supervisor</source>
        <translation>主管</translation>
    </message>
    <message>
        <source>manager</source>
        <translation>经理</translation>
    </message>
    <message>
        <source>Needs a supervisor.</source>
        <translation>需要主管权限。</translation>
    </message>
    <message>
        <source>Needs a manager.</source>
        <translation>需要经理权限。</translation>
    </message>
    <message>
        <source>The cart is empty.</source>
        <translation>购物车是空的。</translation>
    </message>
    <message>
        <source>Choose a reason first.</source>
        <translation>请先选择原因。</translation>
    </message>
    <message>
        <source>Nothing awaits an age check.</source>
        <translation>没有等待年龄核验的商品。</translation>
    </message>
    <message>
        <source>No payment is open yet.</source>
        <translation>尚无进行中的付款。</translation>
    </message>
    <message>
        <source>Shopper changed mind</source>
        <translation>顾客不要了</translation>
    </message>
    <message>
        <source>Scanned twice</source>
        <translation>重复扫描</translation>
    </message>
    <message>
        <source>Damaged item</source>
        <translation>商品破损</translation>
    </message>
    <message>
        <source>Price query</source>
        <translation>价格疑问</translation>
    </message>
</context>
<context>
    <name>StaffLoginScreen</name>
    <message>
        <source>Staff sign-in</source>
        <translation>店员登录</translation>
    </message>
    <message>
        <source>Scan your staff badge, or enter your number and PIN.</source>
        <translation>请刷员工卡，或输入工号和密码。</translation>
    </message>
    <message>
        <source>PIN for staff %1</source>
        <translation>工号 %1 的密码</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Staff number</source>
        <translation>工号</translation>
    </message>
    <message>
        <source>Next ▶</source>
        <translation>下一步 ▶</translation>
    </message>
    <message>
        <source>◀ Cancel</source>
        <translation>◀ 返回</translation>
    </message>
</context>
<context>
    <name>StaffScreen</name>
    <message>
        <source>Staff mode ⋅ %1 (%2)</source>
        <translation>店员模式 · %1（%2）</translation>
    </message>
    <message>
        <source>Staff mode</source>
        <translation>店员模式</translation>
    </message>
    <message>
        <source>Reason for a void or a price change (choose one):</source>
        <translation>作废或改价的原因（请选择一项）：</translation>
    </message>
    <message>
        <source>Void selected line</source>
        <translation>取消所选商品</translation>
    </message>
    <message>
        <source>✓ Approve age check</source>
        <translation>✓ 年龄核验通过</translation>
    </message>
    <message>
        <source>Key in an item…</source>
        <translation>手动录入商品…</translation>
    </message>
    <message>
        <source>Reprint last receipt</source>
        <translation>重打上一张小票</translation>
    </message>
    <message>
        <source>Reopen kiosk</source>
        <translation>恢复自助机</translation>
    </message>
    <message>
        <source>Pause / lock kiosk</source>
        <translation>暂停 / 锁定自助机</translation>
    </message>
    <message>
        <source>Exit kiosk mode</source>
        <translation>退出自助模式</translation>
    </message>
    <message>
        <source>Void the whole sale of %1?</source>
        <translation>取消整笔交易（%1）？</translation>
    </message>
    <message>
        <source>Items: %1 ⋅ Reason: %2</source>
        <translation>商品件数：%1 · 原因：%2</translation>
    </message>
    <message>
        <source>Void sale of %1</source>
        <translation>取消交易 %1</translation>
    </message>
    <message>
        <source>Suspend this cart?</source>
        <translation>挂起此购物车？</translation>
    </message>
    <message>
        <source>%1 items ⋅ %2. The shopper resumes it at any kiosk within %3 hours; this kiosk starts afresh.</source>
        <translation>%1 件 · %2。顾客可在 %3 小时内于任一自助机恢复；本机将清空。</translation>
    </message>
    <message>
        <source>Suspend: %1</source>
        <translation>挂单：%1</translation>
    </message>
    <message>
        <source>Did the shopper pay %1?</source>
        <translation>顾客是否已支付 %1？</translation>
    </message>
    <message>
        <source>Confirm only after seeing the payment of exactly this amount.</source>
        <translation>请在看到恰好为此金额的付款后再确认。</translation>
    </message>
    <message>
        <source>Paid %1: confirm</source>
        <translation>已付 %1：确认</translation>
    </message>
    <message>
        <source>The open cart (%1) is kept for when the kiosk starts again.</source>
        <translation>当前购物车（%1）将保留，自助机重新启动后可继续。</translation>
    </message>
    <message>
        <source>No cart is open.</source>
        <translation>没有进行中的购物车。</translation>
    </message>
    <message>
        <source>Exit kiosk mode? Shoppers cannot use this kiosk until it is started again.</source>
        <translation>退出自助模式？重新启动前顾客将无法使用本自助机。</translation>
    </message>
    <message>
        <source>Items: %1 ⋅ Total: %2</source>
        <translation>商品件数：%1 · 合计：%2</translation>
    </message>
    <message>
        <source>Void whole sale…</source>
        <translation>取消整笔交易…</translation>
    </message>
    <message>
        <source>Confirm attended payment…</source>
        <translation>确认人工收款…</translation>
    </message>
    <message>
        <source>Change price…</source>
        <translation>改价…</translation>
    </message>
    <message>
        <source>Suspend cart…</source>
        <translation>挂单…</translation>
    </message>
    <message>
        <source>Refund…</source>
        <translation>退款…</translation>
    </message>
    <message>
        <source>Exit kiosk mode…</source>
        <translation>退出自助模式…</translation>
    </message>
    <message>
        <source>Sign out ◀</source>
        <translation>退出登录 ◀</translation>
    </message>
    <message>
        <source>To check an exit code, scan it now.</source>
        <translation>如需核验离店码，请直接扫描。</translation>
    </message>
    <message>
        <source>Kiosk health</source>
        <translation>自助机状态</translation>
    </message>
</context>
<context>
    <name>StillThereOverlay</name>
    <message>
        <source>Are you still there?</source>
        <translation>您还在吗？</translation>
    </message>
    <message>
        <source>Your items will be cleared in %1 seconds unless you tap below.</source>
        <translation>如不点击下方按钮，您的商品将在 %1 秒后清空。</translation>
    </message>
    <message>
        <source>Yes, I&apos;m still here</source>
        <translation>是的，我还在</translation>
    </message>
    <message>
        <source>I&apos;m finished: clear my items</source>
        <translation>我买完了：清空购物车</translation>
    </message>
</context>
<context>
    <name>TransferPanel</name>
    <message>
        <source>Cart suspended</source>
        <translation>已挂单</translation>
    </message>
    <message>
        <source>No. %1</source>
        <translation>编号 %1</translation>
    </message>
    <message>
        <source>Scan this code at any kiosk of the store, or type the number at a staffed lane. Valid until %1.</source>
        <translation>在本店任一自助机扫描此码，或在人工收银台输入编号。有效期至 %1。</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
</context>
<context>
    <name>WeighingScreen</name>
    <message>
        <source>Please take everything off the scale first.</source>
        <translation>请先把秤上的东西全部拿下来。</translation>
    </message>
    <message>
        <source>Place the %1 on the scale.</source>
        <translation>请将%1放在秤上。</translation>
    </message>
    <message>
        <source>Weighing… please hold still.</source>
        <translation>正在称重……请保持不动。</translation>
    </message>
    <message>
        <source>Check the weight and price, then add it to your items.</source>
        <translation>请核对重量和价格，然后加入您的商品。</translation>
    </message>
    <message>
        <source>Too heavy for this scale. Please weigh less at a time.</source>
        <translation>超出秤的量程，请分批称重。</translation>
    </message>
    <message>
        <source>Add to my items ✓</source>
        <translation>加入我的商品 ✓</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>A label from the weighing counter? Just scan it instead.</source>
        <translation>已有称重台打印的标签？直接扫描标签即可。</translation>
    </message>
    <message>
        <source>Weigh an item</source>
        <translation>称重商品</translation>
    </message>
</context>
</TS>
